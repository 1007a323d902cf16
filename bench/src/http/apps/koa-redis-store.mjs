// The small Redis-backed external store a koa-session user writes (node-redis, JSON values).

/** A koa-session `store` object keeping each session as JSON under `prefix + key` with a PX TTL. */
export function koaRedisStore(client, prefix) {
  return {
    async get(key) {
      const json = await client.get(prefix + key)
      return json === null ? undefined : JSON.parse(json)
    },
    async set(key, session, maxAge) {
      const ttl = typeof maxAge === 'number' ? maxAge : 86_400_000
      await client.set(prefix + key, JSON.stringify(session), { expiration: { type: 'PX', value: ttl } })
    },
    async destroy(key) {
      await client.del(prefix + key)
    },
  }
}
