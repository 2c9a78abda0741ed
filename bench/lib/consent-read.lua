-- wrk script: GET /v1/subjects/{id}/consents for a random subject from BENCH_SUBJECT_FILE (one id per line,
-- written by consent-reads.sh from the ids it stored). The JWT comes as wrk -H "Authorization: Bearer ...".
local ids = {}

function init(args)
  local file = assert(io.open(os.getenv("BENCH_SUBJECT_FILE"), "r"))
  for line in file:lines() do
    if #line > 0 then ids[#ids + 1] = line end
  end
  file:close()
  assert(#ids > 0, "no subject ids in BENCH_SUBJECT_FILE")
  math.randomseed(os.time() + math.floor(os.clock() * 1e6) + #ids)
end

function request()
  return wrk.format("GET", "/v1/subjects/" .. ids[math.random(1, #ids)] .. "/consents")
end

function done(summary, latency, requests)
  io.write(string.format("LAT p50=%.3f p90=%.3f p99=%.3f max=%.3f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("STATUS requests=%d non2xx=%d errors=%d\n", summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
