-- Shared by every script (prepended to each). ARGV[1] key prefix, ARGV[2] consumer group,
-- ARGV[3] max_results, ARGV[4] max_dead_letters; the script's own arguments follow.
-- A task's record in hash P:t is 10 fields separated by \31: state (Q queued or running,
-- S scheduled for a retry, D done, F failed, X dead, C cancelled), deliveries (before the current
-- stream entry; the total once final), stream, entry id, reply client id, max deliveries,
-- lease ms, name, failure code, text (the result when D, else the last error).
local P, G = ARGV[1], ARGV[2]
local MAX_RESULTS, MAX_DEAD = tonumber(ARGV[3]), tonumber(ARGV[4])
local T, N, FIN, DEAD, SCHED, HELD = P .. ':t', P .. ':n', P .. ':fin', P .. ':dead', P .. ':sched', P .. ':held'
local US = '\31'
local counts = {}
local finished = 0

local function split(s)
  local f = {}
  local pos = 1
  for k = 1, 9 do
    local j = string.find(s, US, pos, true)
    if not j then return nil end
    f[k] = string.sub(s, pos, j - 1)
    pos = j + 1
  end
  f[10] = string.sub(s, pos)
  return f
end

local function live(s)
  local c = string.byte(s, 1)
  return c == 81 or c == 83 -- 'Q' or 'S'
end

-- The records of ids (false where a task has none), read with HMGET 1000 at a time.
local function recordsOf(ids)
  local out = {}
  for i = 1, #ids, 1000 do
    local part = redis.call('HMGET', T, unpack(ids, i, math.min(#ids, i + 999)))
    for k = 1, #part do out[i + k - 1] = part[k] end
  end
  return out
end

local function nowMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function count(field, n)
  counts[field] = (counts[field] or 0) + n
end

local function rate(kind, n)
  local sec = tonumber(redis.call('TIME')[1])
  local slot = sec % 12
  local R = P .. ':rate'
  if redis.call('HGET', R, 't' .. slot) ~= tostring(sec) then
    redis.call('HSET', R, 't' .. slot, sec, 's' .. slot, 0, 'd' .. slot, 0)
  end
  redis.call('HINCRBY', R, kind .. slot, n)
end

local function record(state, d, f, entry, failure, text)
  return state .. US .. d .. US .. f[3] .. US .. entry .. US .. f[5] .. US .. f[6] .. US .. f[7] .. US .. f[8]
      .. US .. failure .. US .. text
end

-- Writes are gathered and sent once per script, a command per key with every value (fewer,
-- larger commands cost Redis less than one per task).
local records = {}
local acked = {}
local replies = {}
local fin = {}
local dead = {}

-- Calls cmd with head... followed by the items of list, at most 1000 at a time (Lua's stack).
local function bulk(list, step, cmd, ...)
  local n = #list
  local i = 1
  while i <= n do
    local j = math.min(n, i + 999)
    if (j - i + 1) % step ~= 0 then j = j - ((j - i + 1) % step) end
    local args = {...}
    for k = i, j do args[#args + 1] = list[k] end
    redis.call(cmd, unpack(args))
    i = j + 1
  end
end

local function put(tid, value)
  records[#records + 1] = tid
  records[#records + 1] = value
end

-- Ends a live task: out of its stream (or the retry set), its final record, its reply to the
-- submitter's list, the counters.
local function finish(tid, f, state, d, failure, body)
  if f[1] == 'Q' and f[4] ~= '' then
    local ids = acked[f[3]]
    if not ids then
      ids = {}
      acked[f[3]] = ids
    end
    ids[#ids + 1] = f[4]
  elseif f[1] == 'S' then
    redis.call('ZREM', SCHED, tid)
    redis.call('HDEL', HELD, tid)
  end
  put(tid, record(state, d, f, '', failure, body))
  local rk = P .. ':r:' .. f[5]
  local list = replies[rk]
  if not list then
    list = {}
    replies[rk] = list
  end
  list[#list + 1] = tid .. US .. state .. US .. failure .. US .. body
  fin[#fin + 1] = tid
  finished = finished + 1
  count('live', -1)
  count(state, 1)
  if state == 'X' then
    dead[#dead + 1] = tid
  end
end

-- finish() for the common case of an acknowledgement of the task's current entry, with the
-- strings the client built: the final record's head and the reply's head, each followed by body.
local function finishFast(tid, s, eid, cid, state, recordHead, replyHead, body)
  local ids = acked[s]
  if not ids then
    ids = {}
    acked[s] = ids
  end
  ids[#ids + 1] = eid
  put(tid, recordHead .. body)
  local rk = P .. ':r:' .. cid
  local list = replies[rk]
  if not list then
    list = {}
    replies[rk] = list
  end
  list[#list + 1] = replyHead .. body
  fin[#fin + 1] = tid
  finished = finished + 1
  count('live', -1)
  count(state, 1)
end

local function flush()
  for s, ids in pairs(acked) do
    bulk(ids, 1, 'XACK', s, G)
    bulk(ids, 1, 'XDEL', s)
  end
  if #records > 0 then
    bulk(records, 2, 'HSET', T)
  end
  for rk, list in pairs(replies) do
    bulk(list, 1, 'RPUSH', rk)
    redis.call('EXPIRE', rk, 86400)
  end
  for k, v in pairs(counts) do
    redis.call('HINCRBY', N, k, v)
  end
  if finished > 0 then
    rate('d', finished)
    bulk(fin, 1, 'RPUSH', FIN)
    local len = redis.call('LLEN', FIN)
    while len > MAX_RESULTS do
      local old = redis.call('LPOP', FIN)
      local s = redis.call('HGET', T, old)
      if s and not live(s) then
        redis.call('HDEL', T, old)
      end
      len = len - 1
    end
  end
  if #dead > 0 then
    bulk(dead, 1, 'RPUSH', DEAD)
    redis.call('LTRIM', DEAD, -MAX_DEAD, -1)
  end
end

local function fieldsOf(kv)
  local tid, m, b, r
  for k = 1, #kv, 2 do
    local name = kv[k]
    if name == 'i' then tid = kv[k + 1] elseif name == 'm' then m = kv[k + 1] elseif name == 'b' then b = kv[k + 1]
    elseif name == 'r' then r = kv[k + 1] end
  end
  return tid, m, tonumber(b) or 0, r or ''
end

-- Retries whose time has come go back to their streams.
local function moveDue()
  local due = redis.call('ZRANGEBYSCORE', SCHED, '-inf', nowMs(), 'LIMIT', 0, 1000)
  for _, tid in ipairs(due) do
    redis.call('ZREM', SCHED, tid)
    local st = redis.call('HGET', T, tid)
    local m = redis.call('HGET', HELD, tid)
    redis.call('HDEL', HELD, tid)
    if st and m and string.sub(st, 1, 1) == 'S' then
      local f = split(st)
      local eid = redis.call('XADD', f[3], '*', 'i', tid, 'm', m, 'r', f[5], 'b', f[2])
      redis.call('HSET', T, tid, record('Q', f[2], f, eid, f[9], f[10]))
    end
  end
end

local RELEASED_IDLE = 100000000000 -- a released consumer's entries are given this idle time

-- A pending entry p = {id, owner, idle, count} of stream s: if its lease has expired, either a
-- dead letter (its deliveries are spent) or, when consumer is given, claimed by it and returned
-- as {stream, id, message, delivery, reply client id}.
local function lost(s, p, consumer)
  local eid, owner, idle, cnt = p[1], p[2], tonumber(p[3]), tonumber(p[4])
  local e = redis.call('XRANGE', s, eid, eid)[1]
  if not e then
    redis.call('XACK', s, G, eid)
    return nil
  end
  local tid, m = fieldsOf(e[2])
  local st = tid and redis.call('HGET', T, tid)
  local f = st and split(st)
  if not f or f[1] ~= 'Q' or f[4] ~= eid then
    redis.call('XACK', s, G, eid)
    redis.call('XDEL', s, eid)
    return nil
  end
  if idle < tonumber(f[7]) then
    return nil
  end
  local d = tonumber(f[2]) + cnt
  if d >= tonumber(f[6]) then
    local why = idle >= RELEASED_IDLE and ('its consumer ' .. owner .. ' was released (it died or stopped)')
        or ('its lease of ' .. f[7] .. ' ms expired on consumer ' .. owner)
    finish(tid, f, 'X', d, 'DEAD_LETTER', 'delivered ' .. d .. ' times of ' .. f[6] .. ' without finishing; last: '
        .. why .. (f[10] ~= '' and ('; last error: ' .. f[10]) or ''))
    return nil
  end
  if not consumer then
    return nil
  end
  redis.call('XCLAIM', s, G, consumer, 0, eid)
  count('redelivered', 1)
  return {s, eid, m, d + 1, f[5]}
end
