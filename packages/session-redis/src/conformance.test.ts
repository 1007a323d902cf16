import { describeSessionStore } from '@satchel/session-core/testing'
import { createClient as createClient5 } from 'redis5'
import { createClient as createClient6 } from 'redis6'
import { afterAll, beforeAll } from 'vitest'
import { deletePrefix, REDIS_URL, requireRedis, uniquePrefix } from './__fixtures__/redis-servers.js'
import { RedisSessionStore } from './redis-session-store.js'

const client5 = createClient5({ url: REDIS_URL })
const client6 = createClient6({ url: REDIS_URL })
client5.on('error', () => undefined)
client6.on('error', () => undefined)
const prefix5 = uniquePrefix('conformance-v5')
const prefix6 = uniquePrefix('conformance-v6')

beforeAll(async () => {
  await requireRedis()
  await Promise.all([client5.connect(), client6.connect()])
})
afterAll(async () => {
  if (client5.isOpen) client5.destroy()
  if (client6.isOpen) client6.destroy()
  await Promise.all([deletePrefix(prefix5), deletePrefix(prefix6)])
})

describeSessionStore(
  'RedisSessionStore (node-redis v5)',
  ({ now }) => new RedisSessionStore({ client: client5, prefix: prefix5, now }),
)
describeSessionStore(
  'RedisSessionStore (node-redis v6)',
  ({ now }) => new RedisSessionStore({ client: client6, prefix: prefix6, now }),
)
