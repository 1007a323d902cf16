import { describeSessionStore } from '@satchel/session-core/testing'
import { Redis as IoRedis5 } from 'ioredis5'
import { Redis as IoRedis6 } from 'ioredis6'
import { afterAll, beforeAll } from 'vitest'
import { deletePrefix, REDIS_URL, requireRedis, uniquePrefix } from './__fixtures__/redis-servers.js'
import { RedisSessionStore } from './redis-session-store.js'

const options = { lazyConnect: true, maxRetriesPerRequest: 1 }
const client5 = new IoRedis5(REDIS_URL, options)
const client6 = new IoRedis6(REDIS_URL, options)
client5.on('error', () => undefined)
client6.on('error', () => undefined)
const prefix5 = uniquePrefix('conformance-io5')
const prefix6 = uniquePrefix('conformance-io6')

beforeAll(async () => {
  await requireRedis()
  await Promise.all([client5.connect(), client6.connect()])
})
afterAll(async () => {
  client5.disconnect()
  client6.disconnect()
  await Promise.all([deletePrefix(prefix5), deletePrefix(prefix6)])
})

describeSessionStore(
  'RedisSessionStore (ioredis v5)',
  ({ now }) => new RedisSessionStore({ client: client5, prefix: prefix5, now }),
)
describeSessionStore(
  'RedisSessionStore (ioredis v6)',
  ({ now }) => new RedisSessionStore({ client: client6, prefix: prefix6, now }),
)
