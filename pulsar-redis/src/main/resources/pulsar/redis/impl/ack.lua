-- Per acknowledgement: task id, delivery number, 'D' with the result JSON or 'F' with the
-- TOO_LARGE error text. Returns 1 per task this finished, 0 per task finished already.
local ids = {}
for i = 5, #ARGV, 4 do
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
for i = 5, #ARGV, 4 do
  k = k + 1
  local tid = ARGV[i]
  local st = sts[k]
  local f = st and not seen[tid] and live(st) and split(st)
  if f then
    seen[tid] = true
    if ARGV[i + 2] == 'D' then
      finish(tid, f, 'D', ARGV[i + 1], '', ARGV[i + 3])
    else
      finish(tid, f, 'F', ARGV[i + 1], 'TOO_LARGE', ARGV[i + 3])
    end
    out[#out + 1] = 1
  else
    out[#out + 1] = 0
  end
end
flush()
return out
