-- wrk script of benchmarks/assembly.py: each thread sends its share of a request file
-- (one "METHOD<TAB>PATH<TAB>BODY" line per request), each request once, with the headers
-- given after the file and the thread count ("Name: value" arguments).
local threads = {}

function setup(thread)
   thread:set("tid", #threads)
   table.insert(threads, thread)
end

function init(args)
   local nthreads = tonumber(args[2])
   mine = {}
   local n = 0
   for line in io.lines(args[1]) do
      if n % nthreads == tid then
         local method, path, body = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
         table.insert(mine, {method, path, body})
      end
      n = n + 1
   end
   for i = 3, #args do
      local name, value = args[i]:match("^([^:]+):%s*(.*)$")
      wrk.headers[name] = value
   end
   counter = 0
end

function request()
   counter = counter + 1
   local r = mine[counter]
   if r == nil then
      error("request file exhausted: give the benchmark more members or fewer seconds")
   end
   return wrk.format(r[1], r[2], nil, r[3] ~= "" and r[3] or nil)
end

function done(summary, latency, requests)
   io.write(string.format(
      "RESULT requests=%d duration_us=%d non2xx=%d socket_errors=%d p50_us=%d p99_us=%d\n",
      summary.requests, summary.duration, summary.errors.status,
      summary.errors.connect + summary.errors.read + summary.errors.write
         + summary.errors.timeout,
      latency:percentile(50), latency:percentile(99)))
end
