-- wrk script for bench/run.sh: one scenario of bench/scenarios.txt, from the environment:
--   BENCH_METHOD  GET or POST
--   BENCH_TARGET  path and query string, {id} replaced per request by N, uniform in 1..10000 (the fixture's ids)
--   BENCH_BODY    the JSON body ({id} likewise), empty for none
--   BENCH_TOKEN   the access token, empty for an anonymous request
-- done() prints one machine-readable line.
local method = os.getenv("BENCH_METHOD")
local target = os.getenv("BENCH_TARGET")
local body = os.getenv("BENCH_BODY")
local token = os.getenv("BENCH_TOKEN")
local varies = target:find("{id}", 1, true) or body:find("{id}", 1, true)
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + seed)
  headers = {}
  if token ~= "" then
    headers["Authorization"] = "Bearer " .. token
  end
  if body ~= "" then
    headers["Content-Type"] = "application/json"
  end
  if not varies then
    fixed = wrk.format(method, target, headers, body ~= "" and body or nil)
  end
end

function request()
  if fixed then
    return fixed
  end
  local n = tostring(math.random(1, 10000))
  local path = target:gsub("{id}", n)
  if body == "" then
    return wrk.format(method, path, headers)
  end
  return wrk.format(method, path, headers, (body:gsub("{id}", n)))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), math.floor(latency.mean),
    e.connect, e.read, e.write, e.status, e.timeout))
end
