-- wrk script for bench/run.sh. Environment: BENCH_SCENARIO=get|post|embed, BENCH_TOKEN=<access token>.
--   get:   GET /bench_items?id=eq.N
--   post:  POST /rpc/bench_echo {"n": N}
--   embed: GET /bench_items?id=eq.N&select=id,name,bench_item_parts(id,label,qty) (ten children)
-- N is uniform in 1..10000 (the fixture's ids), drawn per request. done() prints one machine-readable line.
local scenario = os.getenv("BENCH_SCENARIO")
local token = os.getenv("BENCH_TOKEN")
local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + seed)
  if scenario == "post" then
    headers = { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }
  else
    headers = { ["Authorization"] = "Bearer " .. token }
  end
end

function request()
  local n = math.random(1, 10000)
  if scenario == "post" then
    return wrk.format("POST", "/rpc/bench_echo", headers, '{"n": ' .. n .. '}')
  end
  if scenario == "embed" then
    return wrk.format("GET", "/bench_items?id=eq." .. n .. "&select=id,name,bench_item_parts(id,label,qty)", headers)
  end
  return wrk.format("GET", "/bench_items?id=eq." .. n, headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d mean_us=%d connect=%d read=%d write=%d status=%d timeout=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), math.floor(latency.mean),
    e.connect, e.read, e.write, e.status, e.timeout))
end
