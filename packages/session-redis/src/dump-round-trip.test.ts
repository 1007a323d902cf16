import { Bag } from '@satchel/bag'
import { MemorySessionStore } from '@satchel/session-core'
import { expect, it } from 'vitest'
import { sharedClient } from './__fixtures__/shared-client.js'
import { RedisSessionStore } from './redis-session-store.js'

const { prefix, client } = sharedClient('dump')

const byDigest = <T extends { digest: string }>(entries: T[]) =>
  [...entries].sort((a, b) => (a.digest < b.digest ? -1 : 1))

it('restores a memory-store dump into Redis and dumps back an equal result', async () => {
  const memory = new MemorySessionStore()
  const ada = await memory.create({ identity: 'ada', tags: ['admin'] })
  ada.data.set('cart.items', 3)
  ada.data.set('when', new Date('2026-01-02T03:04:05Z'))
  const nested = new Bag()
  nested.set('deep', 'value', { lang: 'en' })
  ada.data.set('nested', nested)
  ada.avatar.data.set('theme', 'dark')
  await memory.save(ada)
  const guest = await memory.create()
  guest.data.set('seen', true)
  await memory.save(guest)
  const original = await memory.dump()
  await memory.close()

  const redis = new RedisSessionStore({ client, prefix })
  await redis.restore(original)
  const back = await redis.dump()
  expect(byDigest(back.sessions)).toEqual(byDigest(original.sessions))
  expect(await redis.count()).toBe(2)
  expect((await redis.listByIdentity('ada')).map((info) => info.tags)).toEqual([['admin']])

  const again = new MemorySessionStore()
  await again.restore(back)
  expect(byDigest((await again.dump()).sessions)).toEqual(byDigest(original.sessions))
  await again.close()
  const loaded = await redis.get(ada.id)
  expect(loaded?.data.get('when')).toEqual(new Date('2026-01-02T03:04:05Z'))
})
