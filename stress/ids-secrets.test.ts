// Issue 10 §7: ids are unique, of the expected length and alphabet, uniformly random; secrets under
// 32 bytes are refused; the signature check goes through crypto.timingSafeEqual.

import { randomBytes } from 'node:crypto'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import {
  createSessionManager,
  digestId,
  isWellFormedId,
  MemorySessionStore,
  MIN_SECRET_BYTES,
  mintSessionId,
  SESSION_ID_LENGTH,
  SessionError,
} from '@satchel/session-core'
import { RedisSessionStore } from '@satchel/session-redis'
import { afterAll, afterEach, expect, it, vi } from 'vitest'
import { type Client, connect, deletePrefix, requireRedis, uniquePrefix } from './fixtures/redis.js'
import { SIZES } from './fixtures/sizes.js'

const IDS = SIZES.ids
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

it(`mints ${IDS} ids without a duplicate, each 43 base64url characters carrying 32 random bytes`, () => {
  const seen = new Set<string>()
  const counts = new Float64Array(64)
  const shape = /^[A-Za-z0-9_-]{43}$/
  let malformed = 0
  for (let i = 0; i < IDS; i++) {
    const id = mintSessionId()
    seen.add(id)
    if (!shape.test(id) || !isWellFormedId(id)) malformed++
    for (let at = 0; at < 42; at++) counts[ALPHABET.indexOf(id[at]!)]!++
  }
  expect(SESSION_ID_LENGTH).toBe(43)
  expect(malformed).toBe(0)
  expect(seen.size).toBe(IDS)
  // The first 42 characters carry 6 random bits each: every character is equally likely. A
  // chi-square over 64 cells (63 degrees of freedom) stays under 140 unless p < 1e-7.
  const expected = (IDS * 42) / 64
  const chiSquare = counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0)
  expect(chiSquare).toBeLessThan(140)
  // Canonical: decoding and encoding again gives the same text (no stray padding bits).
  const sample = [...seen].slice(0, 1000)
  expect(sample.filter((id) => Buffer.from(id, 'base64url').toString('base64url') !== id)).toEqual([])
  expect(sample.every((id) => Buffer.from(id, 'base64url').length === 32)).toBe(true)
})

it('refuses secrets shorter than 32 bytes at start-up, counting UTF-8 bytes', () => {
  const code = (secret: string | string[]) => {
    try {
      createSessionManager({ secret })
      return 'accepted'
    } catch (error) {
      return SessionError.is(error) ? error.code : String(error)
    }
  }
  expect(MIN_SECRET_BYTES).toBe(32)
  expect(code('x'.repeat(31))).toBe('SECRET_TOO_SHORT')
  expect(code('')).toBe('SECRET_TOO_SHORT')
  expect(code('x'.repeat(32))).toBe('accepted')
  expect(code('é'.repeat(16))).toBe('accepted') // 32 bytes in 16 characters
  expect(code(`${'é'.repeat(15)}a`)).toBe('SECRET_TOO_SHORT') // 31 bytes
  expect(code(['x'.repeat(64), 'short'])).toBe('SECRET_TOO_SHORT') // every key of the ring
  expect(code([])).toBe('INVALID_OPTIONS')
})

it('re-issues a cookie signed with an older key of the ring, and refuses it once that key is dropped', async () => {
  const store = new MemorySessionStore({ sweepInterval: 0 })
  const [oldKey, newKey] = [randomBytes(32).toString('hex'), randomBytes(32).toString('hex')]
  const before = createSessionManager({ secret: oldKey, store })
  const first = await before.open({ cookie: undefined, encrypted: false })
  first.session.data.set('a', 1)
  const oldCookie = (await first.commit())[0]!.split(';', 1)[0]!

  const rotated = createSessionManager({ secret: [newKey, oldKey], store })
  const visit = await rotated.open({ cookie: oldCookie, encrypted: false })
  expect(visit.session.isNew).toBe(false)
  const [reissued] = await visit.commit()
  const newCookie = reissued!.split(';', 1)[0]!
  expect(newCookie.slice(0, 47)).toBe(oldCookie.slice(0, 47)) // same session id…
  expect(newCookie).not.toBe(oldCookie) // …signed with the new key
  expect(await (await rotated.open({ cookie: newCookie, encrypted: false })).commit()).toEqual([])

  const retired = createSessionManager({ secret: newKey, store })
  expect((await retired.open({ cookie: oldCookie, encrypted: false })).session.isNew).toBe(true)
  expect((await retired.open({ cookie: newCookie, encrypted: false })).session.isNew).toBe(false)
})

// node:crypto's ESM named exports follow the CommonJS object after syncBuiltinESMExports(), so a
// spy on it sees (and can decide) every comparison the key ring makes.
const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
afterEach(() => {
  vi.restoreAllMocks()
  syncBuiltinESMExports()
})

it('decides every new signature check with crypto.timingSafeEqual, once per key until one matches', async () => {
  const old = randomBytes(32).toString('hex')
  const manager = createSessionManager({ secret: [randomBytes(32).toString('hex'), old] })
  const newCookie = async () => {
    const handle = await manager.open({ cookie: undefined, encrypted: false })
    handle.session.data.set('x', 1)
    return (await handle.commit())[0]!.split(';', 1)[0]!
  }
  const cookie = await newCookie()
  const unseen = await newCookie()
  const id = cookie.slice(4, 4 + 43)
  const forged = `sid=${id}.${randomBytes(32).toString('base64url')}`
  const opensAsNew = async (value: string) =>
    (await manager.open({ cookie: value, encrypted: false })).session.isNew

  const spy = vi.spyOn(crypto, 'timingSafeEqual')
  syncBuiltinESMExports()
  expect(await opensAsNew(cookie)).toBe(false)
  expect(spy).toHaveBeenCalledTimes(1) // the newest key matched
  expect(await opensAsNew(cookie)).toBe(false)
  expect(spy).toHaveBeenCalledTimes(1) // a value that passed is remembered, exactly as it was
  expect(await opensAsNew(forged)).toBe(true)
  expect(spy).toHaveBeenCalledTimes(3) // both keys tried
  expect(await opensAsNew(forged)).toBe(true)
  expect(spy).toHaveBeenCalledTimes(5) // a rejected value is checked again in full every time
  for (const [a, b] of spy.mock.calls) {
    expect(Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.length === 32 && b.length === 32).toBe(true)
  }

  // The comparison's answer is the verdict for a value not seen before: forced false rejects a
  // real cookie, forced true accepts the forged one. Any other comparison in the path would make
  // one of these fail.
  spy.mockReturnValue(false)
  expect(await opensAsNew(unseen)).toBe(true)
  spy.mockReturnValue(true)
  expect(await opensAsNew(forged)).toBe(false)
  await manager.close()
})

const prefix = uniquePrefix('ids')
let client: Client | undefined
afterAll(async () => {
  client?.destroy()
  if (client !== undefined) await deletePrefix(prefix)
})

it('keeps no token in Redis: keys and values hold digests only', async () => {
  await requireRedis()
  client = await connect()
  const store = new RedisSessionStore({ client, prefix })
  const ids: string[] = []
  for (let i = 0; i < 50; i++) {
    const session = await store.create(i % 2 === 0 ? { identity: `user${i}` } : null)
    session.data.set('n', i)
    await store.save(session)
    ids.push(session.id)
  }
  await store.delete(ids[0]!) // a tombstone too
  const keys: string[] = []
  for await (const batch of client.scanIterator({ MATCH: `${prefix}*` })) keys.push(...batch)
  expect(keys.length).toBeGreaterThanOrEqual(50)
  const raw = [...keys]
  for (const key of keys) {
    const type = await client.type(key)
    // Values are binary msgpack; ASCII runs (where a token would be) survive the UTF-8 decoding.
    if (type === 'string') raw.push((await client.get(key)) ?? '')
    if (type === 'zset') raw.push(...(await client.zRange(key, 0, -1)))
  }
  const text = raw.join('\n')
  expect(ids.filter((id) => text.includes(id))).toEqual([])
  expect(ids.filter((id) => text.includes(digestId(id))).length).toBe(50)
})
