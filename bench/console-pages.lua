-- wrk script for bench/console-load.sh: signed-in GETs of console pages (server-rendered HTML),
-- and one machine-readable RESULT line. The session cookie comes with wrk's -H. Environment:
--   MODE        users (GET /users, the first page of 10,000), users-filter (GET /users?q=userNNNNN,
--               rotating over the users), policies (GET /policies), advisor (GET the Access Advisor
--               tab of POLICY_ARN's details page), events (GET /events: 90 days, no attribute),
--               events-user (Username, rotating over user00000..user00999), events-resource
--               (ResourceName, rotating over group0..group9999)
--   POLICY_ARN  for advisor
-- Each wrk thread counts its own requests.

local mode = os.getenv("MODE") or "policies"
local policy_arn = os.getenv("POLICY_ARN") or ""

local function url_encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local advisor = "/policies/details?arn=" .. url_encode(policy_arn) .. "&tab=access-advisor"
local n = 0

function request()
  n = n + 1
  local path
  if mode == "users" then
    path = "/users"
  elseif mode == "users-filter" then
    path = string.format("/users?q=user%05d", (n * 7919) % 10000)
  elseif mode == "policies" then
    path = "/policies"
  elseif mode == "advisor" then
    path = advisor
  elseif mode == "events" then
    path = "/events"
  elseif mode == "events-user" then
    path = string.format("/events?attribute=Username&value=user%05d", (n * 7919) % 1000)
  elseif mode == "events-resource" then
    path = string.format("/events?attribute=ResourceName&value=group%d", (n * 7919) % 10000)
  else
    error("unknown MODE " .. mode)
  end
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f max_ms=%.2f non2xx=%d socket_errors=%d\n",
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000,
    e.status, e.connect + e.read + e.write + e.timeout))
end
