-- Returns {counters (flat field/value), per stream {stream, length, pending}, scheduled,
-- tasks submitted in the last 10 s, tasks finished in the last 10 s}.
local per = {}
for _, s in ipairs(redis.call('SMEMBERS', P .. ':streams')) do
  local len = redis.call('XLEN', s)
  local pending = 0
  if len > 0 then
    local r = redis.pcall('XPENDING', s, G)
    if type(r) == 'table' and r[1] then pending = r[1] end
  end
  per[#per + 1] = s
  per[#per + 1] = len
  per[#per + 1] = pending
end
local sec = tonumber(redis.call('TIME')[1])
local sub, done = 0, 0
local R = P .. ':rate'
for slot = 0, 11 do
  local r = redis.call('HMGET', R, 't' .. slot, 's' .. slot, 'd' .. slot)
  local t = tonumber(r[1])
  if t and t > sec - 10 and t <= sec then
    sub = sub + (tonumber(r[2]) or 0)
    done = done + (tonumber(r[3]) or 0)
  end
end
return {redis.call('HGETALL', N), per, redis.call('ZCARD', SCHED), sub, done}
