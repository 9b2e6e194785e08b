-- wrk script for bench/authorize-api.sh: POSTs to the authorization API and prints one
-- machine-readable RESULT line. Environment:
--   PORTCULLIS_KEY  "<access key id>:<secret>" of a caller allowed portcullis:Authorize
--   MODE            openapi (GET /api/v1/openapi.json: the HTTP stack alone), single (one decision), batch (100 for one principal), batch-spread (100 for
--                   100 principals), wrong-key (single with a wrong secret: 401, the key check only)
--   USERS           how many users user0000... exist (default 1000)
-- Each wrk thread counts its own requests; principals rotate through the users.

local key = os.getenv("PORTCULLIS_KEY") or error("PORTCULLIS_KEY is not set")
local mode = os.getenv("MODE") or "single"
local users = tonumber(os.getenv("USERS") or "1000")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
if mode == "wrong-key" then
  wrk.headers["Authorization"] = "Bearer " .. key:sub(1, 21) .. string.rep("0", 40)
else
  wrk.headers["Authorization"] = "Bearer " .. key
end

local n = 0

-- Request i of a batch: S3, EC2 and DynamoDB (allowed by PowerUserAccess) and IAM (denied).
local function query(principal, i)
  local k = i % 4
  if k == 0 then
    return string.format('{"principal":"%s","action":"s3:GetObject","resource":"arn:aws:s3:::reports/q%d.csv","context":{"aws:SourceIp":"203.0.113.9"}}', principal, i)
  elseif k == 1 then
    return string.format('{"principal":"%s","action":"ec2:StartInstances","resource":"arn:aws:ec2:eu-west-1:123456789012:instance/i-%017x"}', principal, i)
  elseif k == 2 then
    return string.format('{"principal":"%s","action":"dynamodb:Query","resource":"arn:aws:dynamodb:eu-west-1:123456789012:table/orders"}', principal)
  end
  return string.format('{"principal":"%s","action":"iam:CreateUser","resource":"*"}', principal)
end

local function user(i)
  return string.format("user%04d", i % users)
end

function request()
  n = n + 1
  if mode == "openapi" then
    return wrk.format("GET", "/api/v1/openapi.json")
  end
  if mode == "single" or mode == "wrong-key" then
    return wrk.format(nil, "/api/v1/authorize", nil, query(user(n), 0))
  end
  local parts = {}
  for i = 0, 99 do
    local principal = mode == "batch-spread" and user(n * 100 + i) or user(n)
    parts[#parts + 1] = query(principal, i)
  end
  return wrk.format(nil, "/api/v1/authorize/batch", nil,
    '{"requests":[' .. table.concat(parts, ",") .. ']}')
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
