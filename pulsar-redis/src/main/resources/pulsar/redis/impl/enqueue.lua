-- ARGV[5] reply client id, ARGV[6] max_tasks, ARGV[7] the batch's shortest lease (ms), ARGV[8]
-- '1' to look for tasks queued already (ids not made fresh by this client, or a batch sent again),
-- then per task: id, stream, message JSON, and the task's record before and after its entry id.
-- Returns per task its entry id,
-- 'OK' for a task this client had queued already (a command sent again after a reconnect), or
-- an error text 'E:CODE message'.
local cid, maxTasks, lease = ARGV[5], tonumber(ARGV[6]), tonumber(ARGV[7])
local liveNow = tonumber(redis.call('HGET', N, 'live') or '0')
local prevs = {}
if ARGV[8] == '1' then
  local ids = {}
  for i = 9, #ARGV, 5 do
    ids[#ids + 1] = ARGV[i]
  end
  prevs = recordsOf(ids)
end
local out = {}
local added = 0
local k = 0
for i = 9, #ARGV, 5 do
  k = k + 1
  local tid, stream, json = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local prev = prevs[k]
  if prev and live(prev) then
    local f = split(prev)
    if f and f[5] == cid then
      out[#out + 1] = 'OK'
    else
      out[#out + 1] = 'E:BAD_ARGUMENTS task id \'' .. tid .. '\' is already queued'
    end
  elseif liveNow + added >= maxTasks then
    out[#out + 1] = 'E:QUEUE_FULL the queue holds ' .. (liveNow + added) .. ' tasks, its max_tasks; submit later'
  else
    local eid = redis.call('XADD', stream, '*', 'i', tid, 'm', json, 'r', cid)
    put(tid, ARGV[i + 3] .. eid .. ARGV[i + 4])
    added = added + 1
    out[#out + 1] = eid
  end
end
if added > 0 then
  bulk(records, 2, 'HSET', T)
  redis.call('HINCRBY', N, 'live', added)
  redis.call('HINCRBY', N, 'submitted', added)
  rate('s', added)
  local ml = tonumber(redis.call('GET', P .. ':minlease') or '')
  if not ml or lease < ml then
    redis.call('SET', P .. ':minlease', lease)
  end
end
return out
