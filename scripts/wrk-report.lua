-- wrk script for manage.py bench_load: counts answers other than 200 (wrk itself counts
-- only 4xx and 5xx) and prints the results as one line of JSON for the benchmark to read.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_200 = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_200 = not_200 + 1
  end
end

function done(summary, latency, requests)
  local refused = 0
  for _, thread in ipairs(threads) do
    refused = refused + thread:get("not_200")
  end
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %.0f, "p95_us": %.0f, '
      .. '"p99_us": %.0f, "max_us": %.0f, "not_200": %d, "socket_errors": %d, "timeouts": %d}\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    refused, errors.connect + errors.read + errors.write, errors.timeout
  ))
end
