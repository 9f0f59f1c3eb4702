-- wrk script for every row: cycles through the Cookie headers of a file, one a line, so a run
-- can carry 1 or 100,000 distinct sessions; "-" (or an empty file) sends no Cookie at all.
--   wrk ... -s sessions.lua <url> -- <cookie-file|-> <path>
-- Requests are built once in init(), so the per-request cost in wrk is the same for all rows.

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   local file, path = args[1], args[2] or "/"
   reqs = {}
   if file and file ~= "-" then
      for line in io.lines(file) do
         if #line > 0 then reqs[#reqs + 1] = wrk.format("GET", path, { Cookie = line }) end
      end
   end
   if #reqs == 0 then reqs[1] = wrk.format("GET", path) end
   -- Threads start at different sessions, so together they cycle through all of them.
   index = (id * 7919) % #reqs
end

function request()
   index = index % #reqs + 1
   return reqs[index]
end

function done(summary, latency, requests)
   local e = summary.errors
   io.write(string.format(
      'WRK_RESULT {"requests": %d, "duration_us": %d, "bytes": %d, "connect_errors": %d, ' ..
      '"read_errors": %d, "write_errors": %d, "status_errors": %d, "timeouts": %d, ' ..
      '"p50_us": %d, "p90_us": %d, "p99_us": %d, "mean_us": %.1f}\n',
      summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
      e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
      latency.mean))
end
