-- wrk script for bench/serve: cycles through the paths given after `--`,
-- counts answers that are not 2xx (wrk itself counts only status > 399),
-- and prints one line of results with exact latency percentiles:
--   RESULT requests=N seconds=S rps=R p50=MS p90=MS p99=MS max=MS non2xx=N
--          socket=N connect=N read=N write=N timeout=N bad=FIRST-BAD-STATUS
-- Usage: wrk ... -s bench/serve.lua URL -- PATH...
-- BENCH_SERVE_THREAD_REQUESTS: each thread stops after this many answers
-- (0: only the duration bounds the run), so that a run is a bounded number
-- of requests however fast the server answers.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local requests = {}
local next_index = 1

function init(args)
  if #args == 0 then
    args = { wrk.path }
  end
  for i, path in ipairs(args) do
    requests[i] = wrk.format("GET", path)
  end
  -- Threads start at different places in the list.
  next_index = (id % #requests) + 1
  non2xx, bad = 0, ""
  answered, limit = 0, tonumber(os.getenv("BENCH_SERVE_THREAD_REQUESTS") or "0")
end

function request()
  local i = next_index
  next_index = (i % #requests) + 1
  return requests[i]
end

-- Defining response() makes wrk hand over headers and body, which costs the
-- client some time on every request; without it a 3xx would go unnoticed.
function response(status, _, _)
  answered = answered + 1
  if limit > 0 and answered >= limit then
    wrk.thread:stop()
  end
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if bad == "" then
      bad = tostring(status)
    end
  end
end

function done(summary, latency, _)
  local non, bad_first = 0, ""
  for _, thread in ipairs(threads) do
    non = non + (thread:get("non2xx") or 0)
    local b = thread:get("bad") or ""
    if bad_first == "" and b ~= "" then
      bad_first = b
    end
  end
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local function ms(us)
    return string.format("%.2f", us / 1000)
  end
  io.write(string.format(
    "RESULT requests=%d seconds=%.2f rps=%.1f p50=%s p90=%s p99=%s max=%s non2xx=%d socket=%d " ..
    "connect=%d read=%d write=%d timeout=%d bad=%s\n",
    summary.requests, seconds, summary.requests / seconds,
    ms(latency:percentile(50)), ms(latency:percentile(90)), ms(latency:percentile(99)), ms(latency.max),
    non, e.connect + e.read + e.write + e.timeout, e.connect, e.read, e.write, e.timeout,
    bad_first == "" and "-" or bad_first))
end
