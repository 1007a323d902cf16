import { describeSessionStore } from '@satchel/session-core/testing'
import { Cluster as IoCluster } from 'ioredis6'
import { createCluster } from 'redis5'
import { createCluster as createCluster6 } from 'redis6'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RedisClusterServers, startRedisCluster } from './__fixtures__/redis-servers.js'
import { createKeyLayout } from './key-layout.js'
import { RedisSessionStore } from './redis-session-store.js'

let servers: RedisClusterServers | undefined
let cluster: ReturnType<typeof createCluster> | undefined
let cluster6: ReturnType<typeof createCluster6> | undefined
let ioCluster: IoCluster | undefined
const rootNodes = () => servers!.ports.map((port) => ({ url: `redis://127.0.0.1:${port}` }))

beforeAll(async () => {
  servers = await startRedisCluster()
  cluster = createCluster({ rootNodes: rootNodes() })
  cluster6 = createCluster6({ rootNodes: rootNodes() })
  cluster.on('error', () => undefined)
  cluster6.on('error', () => undefined)
  ioCluster = new IoCluster(
    servers.ports.map((port) => ({ host: '127.0.0.1', port })),
    { lazyConnect: true },
  )
  ioCluster.on('error', () => undefined)
  await Promise.all([cluster.connect(), cluster6.connect(), ioCluster.connect()])
}, 30_000)
afterAll(async () => {
  if (cluster?.isOpen) cluster.destroy()
  if (cluster6?.isOpen) cluster6.destroy()
  ioCluster?.disconnect()
  await servers?.stop()
})

describeSessionStore(
  'RedisSessionStore on a 3-master cluster (node-redis v5)',
  ({ now }) => new RedisSessionStore({ client: cluster!, prefix: 'c5:', now }),
)
describeSessionStore(
  'RedisSessionStore on a 3-master cluster (node-redis v6)',
  ({ now }) => new RedisSessionStore({ client: cluster6!, prefix: 'c6:', now }),
)

describeSessionStore(
  'RedisSessionStore on a 3-master cluster (ioredis v6)',
  ({ now }) => new RedisSessionStore({ client: ioCluster!, prefix: 'io:', now }),
)

describe('RedisSessionStore on a cluster', () => {
  it('spreads sessions over every master and finds them all with SCAN', async () => {
    const store = new RedisSessionStore({ client: cluster!, prefix: 'spread:' })
    const sessions = await Promise.all(Array.from({ length: 30 }, () => store.create({ identity: 'ada' })))
    const perMaster = await Promise.all(
      cluster!.masters.map(async (master) => (await cluster!.nodeClient(master)).dbSize()),
    )
    expect(perMaster.every((keys) => keys > 0)).toBe(true)
    expect(await store.count()).toBe(30)
    expect((await store.listByIdentity('ada')).length).toBe(30)
    await store.delete(sessions[0]!.id)
    expect(await store.deleteByIdentity('ada')).toBe(29)
    await store.clear()
    const left = await Promise.all(
      cluster!.masters.map(async (master) => (await cluster!.nodeClient(master)).dbSize()),
    )
    expect(left).toEqual([0, 0, 0])
  })

  it('keeps a record and its last-access key in one slot', async () => {
    const node = await cluster!.nodeClient(cluster!.masters[0]!)
    const digest = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo'
    const keys = createKeyLayout('p:')
    const slots = await Promise.all(
      [keys.record(digest), keys.lastAccess(digest)].map((key) =>
        node.sendCommand(['CLUSTER', 'KEYSLOT', key]),
      ),
    )
    expect(slots[0]).toBe(slots[1])
  })
})
