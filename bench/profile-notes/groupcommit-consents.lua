-- wrk script of helper B's profile (POST /v1/consents): random subject of 100,000, one of 8 purposes,
-- a unique Idempotency-Key per request. TOKEN from the environment (acme-app.jwt).
local token = os.getenv("TOKEN")
local purposes = { "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8" }
local decisions = { "granted", "withdrawn", "denied" }
local counter = 0
local prefix

function setup(thread)
  thread:set("tid", tostring(math.random(1, 1e9)))
end

function init(args)
  prefix = tid .. "-" .. tostring(os.time())
  math.randomseed(tonumber(tid))
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"subjectId":"s-%d","purpose":"%s","decision":"%s","policyVersion":"2026-01","channel":"web"}',
    math.random(1, 100000), purposes[math.random(1, 8)], decisions[math.random(1, 3)])
  return wrk.format("POST", "/v1/consents", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = prefix .. "-" .. counter,
  }, body)
end

local statuses = {}
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
