-- wrk script: POST create-execution-hook requests with a unique name each.
--
-- Usage: wrk -s create.lua URL -- TAG ACCOUNT_ID TOKEN HOOK_SOURCE_ID APP_ID
-- Names are TAG-THREAD-COUNTER, so runs with different tags never conflict. done()
-- prints one JSON line with the totals and latency percentiles in microseconds.

local tag, hook_source_id, app_id = "run", "", ""
local thread_number = 0

function setup(thread)
  thread_number = thread_number + 1
  thread:set("thread_number", thread_number)
end

local template = '{"type":"application/astra-executionHook","version":"1.2","name":"%s-%d-%d",'
  .. '"hookType":"custom","action":"snapshot","stage":"pre",'
  .. '"hookSourceID":"%s","arguments":["freeze"],"appID":"%s","enabled":"true",'
  .. '"description":"Payroll production hook"}'
local counter = 0
local number = 0

function init(args)
  local account_id, token
  tag, account_id, token, hook_source_id, app_id = args[1], args[2], args[3], args[4], args[5]
  number = wrk.thread:get("thread_number")
  wrk.method = "POST"
  wrk.path = "/accounts/" .. account_id .. "/core/v1/executionHooks"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer " .. token
end

function request()
  counter = counter + 1
  return wrk.format(nil, nil, nil, string.format(template, tag, number, counter, hook_source_id, app_id))
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"p50_us":%d,"p99_us":%d,"max_us":%d,'
      .. '"errors_connect":%d,"errors_read":%d,"errors_write":%d,"errors_timeout":%d,'
      .. '"non_2xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    latency.max, errors.connect, errors.read, errors.write, errors.timeout, errors.status))
end
