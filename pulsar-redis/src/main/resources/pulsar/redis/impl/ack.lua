-- Per acknowledgement 10 arguments: task id, delivery number, 'D' (done) or 'F' (TOO_LARGE),
-- body (the result JSON, or the error text), then from the delivery's token: stream, entry id,
-- reply client id, the final record's head and the reply's head (each completed by body), and
-- the entry id between separators (as the record holds it).
-- Returns 1 per task this finished, 0 per task finished already.
local ids = {}
for i = 5, #ARGV, 10 do
  ids[#ids + 1] = ARGV[i]
end
local sts = recordsOf(ids)
local out = {}
local seen = {}
local k = 0
for i = 5, #ARGV, 10 do
  k = k + 1
  local tid, kind = ARGV[i], ARGV[i + 2]
  local st = sts[k]
  if not st or seen[tid] or not live(st) then
    out[#out + 1] = 0
  else
    seen[tid] = true
    -- the record names the acknowledged entry: the task has not been retried since
    if string.byte(st, 1) == 81 and string.find(st, ARGV[i + 9], 1, true) then
      finishFast(tid, ARGV[i + 4], ARGV[i + 5], ARGV[i + 6], kind, ARGV[i + 7], ARGV[i + 8], ARGV[i + 3])
    else
      finish(tid, split(st), kind, ARGV[i + 1], kind == 'D' and '' or 'TOO_LARGE', ARGV[i + 3])
    end
    out[#out + 1] = 1
  end
end
flush()
return out
