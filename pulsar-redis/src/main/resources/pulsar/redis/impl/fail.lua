-- ARGV[5] task id, [6] stream, [7] entry id, [8] delivery, [9] failure code, [10] error text,
-- [11] '1' to retry, [12] the retry's backoff ms. Returns 1, or 0 if the delivery is not current.
local tid, s, eid, d = ARGV[5], ARGV[6], ARGV[7], tonumber(ARGV[8])
local st = redis.call('HGET', T, tid)
local f = st and split(st)
if not f or f[1] ~= 'Q' or f[4] ~= eid then
  return 0
end
local p = redis.call('XPENDING', s, G, eid, eid, 1)[1]
if not p or tonumber(f[2]) + tonumber(p[4]) ~= d then
  return 0
end
local max = tonumber(f[6])
if ARGV[11] == '1' and d < max then
  local e = redis.call('XRANGE', s, eid, eid)[1]
  local _, m = fieldsOf(e[2])
  redis.call('XACK', s, G, eid)
  redis.call('XDEL', s, eid)
  redis.call('ZADD', SCHED, nowMs() + tonumber(ARGV[12]), tid)
  redis.call('HSET', HELD, tid, m)
  redis.call('HSET', T, tid, record('S', d, f, '', ARGV[9], ARGV[10]))
elseif ARGV[11] == '1' then
  finish(tid, f, 'X', d, 'DEAD_LETTER', 'failed ' .. d .. ' deliveries of ' .. max .. '; last error: ' .. ARGV[10])
else
  finish(tid, f, 'F', d, ARGV[9], ARGV[10])
end
flush()
return 1
