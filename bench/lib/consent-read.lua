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

-- done(): the percentiles and error counts every bench script parses, from latency.lua beside this file.
dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "latency.lua")
