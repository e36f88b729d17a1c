-- wrk script for `npm run bench`: cycles through the request paths listed in a file (one per
-- line, given as the first script argument), sends the API key from the second, and prints the
-- summary as one JSON line that bench/run.mjs reads.
local paths = {}
local key = ""
local counter = 0

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  key = args[2]
  -- Threads start at different places in the list so they do not ask for the same rows in step.
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter], { ["X-Api-Key"] = key })
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"durationUs":%d,"status":%d,"connectErrors":%d,"readErrors":%d,"timeouts":%d,' ..
    '"p50Us":%d,"p95Us":%d,"p99Us":%d,"maxUs":%d}\n',
    summary.requests, summary.duration, errors.status, errors.connect, errors.read, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
