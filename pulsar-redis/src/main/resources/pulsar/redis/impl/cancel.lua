-- ARGV[5] task id. Returns 1 if the task was cancelled, 0 if it is running, finished or unknown.
local tid = ARGV[5]
local st = redis.call('HGET', T, tid)
local f = st and live(st) and split(st)
if not f then
  return 0
end
if f[1] == 'Q' and f[4] ~= '' and #redis.call('XPENDING', f[3], G, f[4], f[4], 1) > 0 then
  return 0
end
finish(tid, f, 'C', f[2], 'CANCELLED', 'task ' .. tid .. ' was cancelled before it ran')
flush()
return 1
