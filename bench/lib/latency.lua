-- wrk script part: done() prints the percentiles in ms and the error counts (LAT, STATUS lines) the bench scripts
-- parse; used alone for plain GETs (health baselines) and loaded by the other scripts.
function done(summary, latency, requests)
  io.write(string.format("LAT p50=%.3f p90=%.3f p99=%.3f max=%.3f\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("STATUS requests=%d non2xx=%d errors=%d\n", summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
