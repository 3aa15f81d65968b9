/**
 * The Redis Streams queue backend (implementation, not exported): {@link pulsar.redis.impl.RedisProvider}
 * opens a {@code RedisBackend} for {@code redis://} queue URLs; its state changes are the Lua
 * scripts beside it ({@code *.lua}).
 */
package pulsar.redis.impl;
