export type { KeyLayout } from './key-layout.js'
export { createKeyLayout } from './key-layout.js'
export type {
  IoRedisClient,
  IoRedisCluster,
  NodeRedisClient,
  NodeRedisCluster,
  NodeRedisCommandOptions,
  RedisArgument,
  RedisSessionClient,
} from './redis-client-adapter.js'
export type { RedisSessionStoreOptions, RedisSessionStoreStats } from './redis-session-store.js'
export { RedisSessionStore } from './redis-session-store.js'
