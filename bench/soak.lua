-- wrk script for bench/soak.sh: a mixed workload, each connection cycling through MIX in turn, and the answers
-- counted by class (2xx, 4xx, 5xx). From the environment: SOAK_TOKEN (an access token for role authenticated),
-- SOAK_DELAY_MS (a pause before each request, 0 for none). done() prints one machine-readable line.
local token = os.getenv("SOAK_TOKEN")
local pause = tonumber(os.getenv("SOAK_DELAY_MS") or "0")
local threads = {}

-- kind, method, path ({id} drawn from 1..10000), body ({id} likewise) or nil, with the token or not.
local MIX = {
  { "read",  "GET",  "/bench_items?id=eq.{id}", nil, true },
  { "read",  "GET",  "/bench_items?id=eq.{id}&select=id,name,bench_item_parts(id,label,qty)", nil, true },
  { "write", "POST", "/soak_events", '{"n":{id},"note":"soak"}', true },
  { "call",  "POST", "/rpc/bench_echo", '{"n":{id}}', true },
  { "read",  "GET",  "/bench_items?select=id,name&order=id.desc&limit=20&offset={id}", nil, true },
  { "call",  "GET",  "/rpc/perf_test?_records=10&_text=soak&_int={id}&_bool=true&_date=2024-01-15&_timestamptz=2024-01-15T10:30:00Z&_jsonb=%7B%7D", nil, false },
  { "write", "POST", "/soak_events", '{"n":{id},"note":"soak, second"}', true },
  { "error", "GET",  "/bench_items?id=eq.not-a-number", nil, true },      -- 400 22P02
  { "error", "GET",  "/no_such_view", nil, false },                       -- 404 PGRST205
  { "error", "POST", "/rpc/bench_echo", '{"n":', true },                  -- 400 PGRST102
}

function setup(thread)
  table.insert(threads, thread)
  thread:set("seed", #threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + seed)
  turn = seed
  ok, client_errors, server_errors = 0, 0, 0
end

function delay()
  return pause
end

function request()
  turn = turn + 1
  local m = MIX[turn % #MIX + 1]
  local n = tostring(math.random(1, 10000))
  local headers = {}
  if m[5] then
    headers["Authorization"] = "Bearer " .. token
  end
  if m[1] == "write" then
    headers["Prefer"] = "return=minimal"
  end
  local body = nil
  if m[4] then
    headers["Content-Type"] = "application/json"
    body = m[4]:gsub("{id}", n)
  end
  return wrk.format(m[2], (m[3]:gsub("{id}", n)), headers, body)
end

function response(status, headers, body)
  if status >= 500 then
    server_errors = server_errors + 1
  elseif status >= 400 then
    client_errors = client_errors + 1
  else
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local s2, s4, s5 = 0, 0, 0
  for _, thread in ipairs(threads) do
    s2 = s2 + thread:get("ok")
    s4 = s4 + thread:get("client_errors")
    s5 = s5 + thread:get("server_errors")
  end
  local e = summary.errors
  io.write(string.format(
    "SOAK requests=%d duration_us=%d p50_us=%d p99_us=%d ok=%d client_errors=%d server_errors=%d socket_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), s2, s4, s5,
    e.connect + e.read + e.write, e.timeout))
end
