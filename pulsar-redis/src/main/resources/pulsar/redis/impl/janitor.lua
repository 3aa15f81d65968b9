-- At most once per 200 ms across all clients: due retries back to their streams, and expired
-- leases whose deliveries are spent made dead letters (other expired leases wait for a fetch).
if not redis.call('SET', P .. ':janitor', '1', 'PX', 200, 'NX') then
  return 0
end
moveDue()
local ml = redis.call('GET', P .. ':minlease')
if ml then
  for _, s in ipairs(redis.call('SMEMBERS', P .. ':streams')) do
    for _, p in ipairs(redis.call('XPENDING', s, G, 'IDLE', ml, '-', '+', 200)) do
      lost(s, p, nil)
    end
  end
end
flush()
return 1
