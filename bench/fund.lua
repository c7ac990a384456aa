-- wrk script for bench/funding.py: each request is POST /api/invoices/<id>/fund {"amount": 100000}
-- for a random investor token and a random invoice, from files named by the environment:
--   BENCH_TOKENS (one access token a line), BENCH_PATHS (one /api/invoices/<id>/fund a line),
--   BENCH_PORTS (comma-separated worker ports: wrk thread n connects to port n mod #ports).
-- done() prints one JSON line: requests, duration, socket errors, statuses, latency percentiles.

local function lines(name)
  local out = {}
  for line in io.lines(os.getenv(name)) do
    if #line > 0 then out[#out + 1] = line end
  end
  return out
end

local ports = {}
for port in string.gmatch(os.getenv("BENCH_PORTS"), "%d+") do ports[#ports + 1] = port end
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread.addr = wrk.lookup("127.0.0.1", ports[(counter - 1) % #ports + 1])[1]
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  tokens = lines("BENCH_TOKENS")
  paths = lines("BENCH_PATHS")
  math.randomseed(os.time() * 1000 + id)
  statuses = {}
  body = '{"amount": 100000}'
end

function request()
  local token = tokens[math.random(#tokens)]
  local path = paths[math.random(#paths)]
  return wrk.format("POST", path, {["Content-Type"] = "application/json",
                                   ["Authorization"] = "Bearer " .. token}, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local merged = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      merged[status] = (merged[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(merged) do parts[#parts + 1] = string.format('"%d": %d', status, n) end
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "statuses": {%s}, ' ..
    '"socket_errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "p999": %d, "max": %d}}\n',
    summary.requests, summary.duration, table.concat(parts, ", "),
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency:percentile(99.9), latency.max))
end
