-- wrk script for bench/console-load.sh: a flood of IAM-user console sign-ins with correct
-- passwords (POST /api/sign_in_user, the sign-in form's fields), and one machine-readable RESULT
-- line. Names rotate over many users, so no login sees two attempts close together and the
-- per-name lockout (which only counts failures anyway) stays out of it. Environment:
--   ACCOUNT        the account id
--   PASSWORD       the users' console password
--   FIRST, USERS   the users are user<FIRST> .. user<FIRST + USERS - 1> (five digits)
-- No cookie is sent: each attempt opens a new session.

local account = os.getenv("ACCOUNT") or error("ACCOUNT is not set")
local password = os.getenv("PASSWORD") or error("PASSWORD is not set")
local first = tonumber(os.getenv("FIRST") or "9500")
local users = tonumber(os.getenv("USERS") or "500")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"

local function url_encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local n = 0
function request()
  n = n + 1
  local body = string.format("account=%s&user_name=user%05d&password=%s",
    url_encode(account), first + (n % users), url_encode(password))
  return wrk.format(nil, "/api/sign_in_user", nil, body)
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
