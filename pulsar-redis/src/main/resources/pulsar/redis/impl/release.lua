-- ARGV[5] consumer: its pending entries move to the consumer 'pulsar:released' with an idle time
-- that makes them claimable at once by any fetch (or dead letters when their deliveries are
-- spent), and the consumer leaves the group. Returns how many.
local consumer = ARGV[5]
local n = 0
for _, s in ipairs(redis.call('SMEMBERS', P .. ':streams')) do
  for _, p in ipairs(redis.call('XPENDING', s, G, '-', '+', 10000, consumer)) do
    n = n + 1
    redis.call('XCLAIM', s, G, 'pulsar:released', 0, p[1], 'IDLE', RELEASED_IDLE, 'JUSTID')
    lost(s, {p[1], consumer, RELEASED_IDLE, p[4]}, nil)
  end
  redis.call('XGROUP', 'DELCONSUMER', s, G, consumer)
end
flush()
return n
