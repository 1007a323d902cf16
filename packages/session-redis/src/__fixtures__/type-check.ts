// Compile-time check: every supported client type is accepted by the store (tsc only).
import { Cluster as IoCluster5, Redis as IoRedis5 } from 'ioredis5'
import { Cluster as IoCluster6, Redis as IoRedis6 } from 'ioredis6'
import { createClient as c5, createCluster as k5 } from 'redis5'
import { createClient as c6, createCluster as k6 } from 'redis6'
import type { RedisSessionClient } from '../redis-client-adapter.js'

export const accepted: RedisSessionClient[] = [
  c5(),
  c6(),
  k5({ rootNodes: [] }),
  k6({ rootNodes: [] }),
  new IoRedis5({ lazyConnect: true }),
  new IoRedis6({ lazyConnect: true }),
  new IoCluster5([]),
  new IoCluster6([]),
]
