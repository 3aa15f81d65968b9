-- Per acknowledgement 8 arguments: task id, delivery number, 'D' with the result JSON or 'F' with
-- the TOO_LARGE error text, then from the delivery's token: stream, entry id, reply client id, and
-- the record's middle (stream, '', client id, max deliveries, lease, name). Returns 1 per task
-- this finished, 0 per task finished already.
local ids = {}
for i = 5, #ARGV, 8 do
  ids[#ids + 1] = ARGV[i]
end
local sts = {}
for i = 1, #ids, 1000 do
  local part = redis.call('HMGET', T, unpack(ids, i, math.min(#ids, i + 999)))
  for k = 1, #part do sts[i + k - 1] = part[k] end
end
local out = {}
local seen = {}
local k = 0
for i = 5, #ARGV, 8 do
  k = k + 1
  local tid, kind = ARGV[i], ARGV[i + 2]
  local failure = kind == 'D' and '' or 'TOO_LARGE'
  local st = sts[k]
  if not st or seen[tid] or not live(st) then
    out[#out + 1] = 0
  else
    seen[tid] = true
    if string.byte(st, 1) == 81 and string.find(st, US .. ARGV[i + 5] .. US, 1, true) then
      finishFast(tid, ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], kind, ARGV[i + 1], ARGV[i + 7], failure, ARGV[i + 3])
    else
      finish(tid, split(st), kind, ARGV[i + 1], failure, ARGV[i + 3])
    end
    out[#out + 1] = 1
  end
end
flush()
return out
