-- One scenario of `npm run bench` under wrk (scripts/bench/wrk.ts starts wrk with this script).
-- After `--`, wrk passes the path of a settings file that wrk.ts writes, one setting a line:
--   method POST                  the method of every request
--   header x-api-key mock-key    a header (a line each)
--   path /public/v1/contact      a path with its query (a line each): a thread's requests take them in turn
--   body {"email":"b-{n}@x.io"}  a write's body: every {n} becomes text unique to the request
--   tag lx2k9r3                  unique to the run: the start of every {n} (then the thread and a counter)
-- With CONVERSEIQ_WRK_DELAY_MS in the environment (a smoke run), each connection waits that long before
-- each request; without it wrk sends as fast as answers come (a function `delay` would slow it even at 0).
-- At the end it prints one line, `wrk-json {...}`: requests, duration, errors by kind, and latency
-- percentiles in microseconds, as wrk computes them.

local pause = tonumber(os.getenv("CONVERSEIQ_WRK_DELAY_MS") or "")
if pause then
  function delay()
    return pause
  end
end

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

local method, body, tag = "GET", nil, ""
local paths, prepared = {}, {}
local index, sent = 0, 0

function init(args)
  local file = assert(io.open(args[1], "r"))
  for line in file:lines() do
    local key, value = line:match("^(%S+) (.*)$")
    if key == "method" then
      method = value
    elseif key == "header" then
      local name, text = value:match("^(%S+) (.*)$")
      wrk.headers[name] = text
    elseif key == "path" then
      paths[#paths + 1] = value
    elseif key == "body" then
      body = value
    elseif key == "tag" then
      tag = value
    end
  end
  file:close()
  assert(#paths > 0, "no path in " .. args[1])
  -- Requests without a body are built once: wrk then spends its time sending, not building.
  if body == nil then
    for i, path in ipairs(paths) do
      prepared[i] = wrk.format(method, path)
    end
  end
end

function request()
  index = index % #paths + 1
  if body == nil then
    return prepared[index]
  end
  sent = sent + 1
  local n = tag .. "t" .. thread_number .. "n" .. sent
  return wrk.format(method, paths[index], nil, (body:gsub("{n}", n)))
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'wrk-json {"requests":%d,"durationUs":%d,"bytes":%d,' ..
      '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
      '"latencyUs":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean
  ))
end
