-- Per acknowledgement: task id, delivery number, 'D' with the result JSON or 'F' with the
-- TOO_LARGE error text. Returns 1 per task this finished, 0 per task finished already.
local out = {}
for i = 5, #ARGV, 4 do
  local tid = ARGV[i]
  local st = redis.call('HGET', T, tid)
  local f = st and live(st) and split(st)
  if f then
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
