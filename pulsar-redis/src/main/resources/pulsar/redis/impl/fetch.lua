-- ARGV[5] consumer, ARGV[6] max, ARGV[7] '1' to take back expired leases and due retries first,
-- then the streams in the order of preference (priority, then queue). Returns stream, entry id,
-- message, delivery number, reply client id, per task.
local consumer, max = ARGV[5], tonumber(ARGV[6])
local out = {}
local n = 0
local function emit(s, eid, m, d, r)
  out[#out + 1] = s
  out[#out + 1] = eid
  out[#out + 1] = m
  out[#out + 1] = d
  out[#out + 1] = r
  n = n + 1
end
if ARGV[7] == '1' then
  moveDue()
  local ml = redis.call('GET', P .. ':minlease')
  if ml then
    for i = 8, #ARGV do
      if n >= max then break end
      local s = ARGV[i]
      if redis.call('EXISTS', s) == 1 then
        for _, p in ipairs(redis.call('XPENDING', s, G, 'IDLE', ml, '-', '+', max - n)) do
          local r = lost(s, p, consumer)
          if r then emit(r[1], r[2], r[3], r[4], r[5]) end
        end
      end
    end
  end
end
for i = 8, #ARGV do
  if n >= max then break end
  local s = ARGV[i]
  -- finished entries are deleted, so an empty stream (most priorities) has nothing to read
  if redis.call('XLEN', s) > 0 then
    local r = redis.call('XREADGROUP', 'GROUP', G, consumer, 'COUNT', max - n, 'STREAMS', s, '>')
    if r then
      for _, e in ipairs(r[1][2]) do
        local _, m, b, r = fieldsOf(e[2])
        emit(s, e[1], m, b + 1, r)
      end
    end
  end
end
flush()
return out
