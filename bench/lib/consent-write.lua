-- wrk script: POST /v1/consents, one decision per request, for a random subject "bench-<n>" and one of the 8
-- bench purposes (bench/lib/purposes.sh creates them), with a unique Idempotency-Key per request.
-- The JWT comes as wrk -H "Authorization: Bearer ..."; BENCH_SUBJECTS (env) bounds the subject ids
-- (default 1,000,000: almost every request is a new subject).
local purposes = { "bench-marketing_email", "bench-analytics", "bench-advertising", "bench-social",
                   "bench-survey", "bench-live_chat", "bench-service", "bench-other" }
local decisions = { "granted", "withdrawn", "denied", "granted" }
local subjects = tonumber(os.getenv("BENCH_SUBJECTS") or "1000000")
local prefix = os.getenv("BENCH_SUBJECT_PREFIX") or "bench-"
local counter = 0
local thread_tag

local threads = {}
local next_id = 1
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  -- Each wrk thread has its own Lua state: seed it apart, and tag its keys so two threads never share one.
  math.randomseed(os.time() * 1000 + (id or 0) * 7919 + math.floor(os.clock() * 1e6))
  thread_tag = string.format("%d-%d-%08x", os.time(), id or 0, math.random(0, 0x7fffffff))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

function request()
  counter = counter + 1
  local subject = prefix .. math.random(1, subjects)
  local body = string.format(
    '{"subjectId":"%s","purpose":"%s","decision":"%s","channel":"web"}',
    subject, purposes[math.random(1, #purposes)], decisions[math.random(1, #decisions)])
  wrk.headers["Idempotency-Key"] = "bench-" .. thread_tag .. "-" .. counter
  return wrk.format(nil, nil, nil, body)
end

-- done(): the percentiles and error counts every bench script parses, from latency.lua beside this file.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "latency.lua")
