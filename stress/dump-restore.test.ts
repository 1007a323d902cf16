// Issue 10 §6: sessions of varied typed content go memory → dump → Redis → dump → memory and come
// back equal; expired ones are dropped on the way.
import { Bag } from '@satchel/bag'
import {
  type AuthInfo,
  type DumpEntry,
  digestId,
  MemorySessionStore,
  mintSessionId,
  Session,
  type SessionDump,
} from '@satchel/session-core'
import { RedisSessionStore } from '@satchel/session-redis'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { bagSpec, buildBag } from './fixtures/bag-content.js'
import { sharedRedis } from './fixtures/shared-redis.js'
import { SIZES } from './fixtures/sizes.js'

const COUNT = SIZES.dumpSessions
const SECOND = 1000
const shared = sharedRedis('dump')

/** Which stage drops a session: none, the first dump (already expired), or the last restore. */
type Fate = 'kept' | 'expiredAtDump' | 'expiredAtLastRestore'

interface Made {
  id: string
  fate: Fate
  data: Bag
  avatar: Bag
  auth: AuthInfo | null
}

const auth = fc.option(
  fc.record({
    identity: fc.string({ minLength: 1, maxLength: 20 }),
    tags: fc.array(fc.constantFrom('admin', 'staff', 'buyer', '__proto__'), { maxLength: 3 }),
    displayName: fc.string({ maxLength: 20 }),
  }),
  { freq: 2 },
)

function byDigest(dump: SessionDump): Map<string, DumpEntry> {
  return new Map(dump.sessions.map((entry) => [entry.digest, entry]))
}

it(`brings ${COUNT} sessions of typed content back equal through memory → Redis → memory, dropping expired ones`, async () => {
  const T = Date.now()
  const specs = fc.sample(fc.tuple(bagSpec(4, 6), bagSpec(2, 3), auth), { numRuns: COUNT, seed: 10 })
  const fates: Fate[] = [
    'kept',
    'kept',
    'kept',
    'kept',
    'kept',
    'kept',
    'kept',
    'kept',
    'expiredAtDump',
    'expiredAtLastRestore',
  ]

  const memory = new MemorySessionStore({ sweepInterval: 0, now: () => T })
  const made: Made[] = []
  for (const [index, [dataSpec, avatarSpec, authInfo]] of specs.entries()) {
    const fate = fates[index % fates.length]!
    // kept: idle end ≥ T + 2600 s; expiredAtDump: ended at T − 400 s; expiredAtLastRestore: ends at T + 600 s.
    const age =
      fate === 'kept' ? (index % 1000) * SECOND : fate === 'expiredAtDump' ? 4000 * SECOND : 3000 * SECOND
    const session = new Session(mintSessionId(), authInfo, 3600, {
      now: T - age,
      absoluteTtl: index % 3 === 0 ? null : 86400,
      data: buildBag(dataSpec),
    })
    buildBag(avatarSpec, session.avatar.data)
    await memory.save(session)
    made.push({
      id: session.id,
      fate,
      data: buildBag(dataSpec),
      avatar: buildBag(avatarSpec),
      auth: session.auth,
    })
  }

  // 1. memory → dump: what had already expired is not in it, the rest is, with its typed content.
  const first = await memory.dump()
  const firstByDigest = byDigest(first)
  expect(first.sessions.length).toBe(made.filter((m) => m.fate !== 'expiredAtDump').length)
  for (const m of made) {
    const entry = firstByDigest.get(digestId(m.id))
    if (m.fate === 'expiredAtDump') {
      expect(entry).toBeUndefined()
      continue
    }
    expect(entry).toBeDefined()
    expect(Bag.fromTytx(entry!.data).equals(m.data)).toBe(true)
    expect(Bag.fromTytx(entry!.avatarData).equals(m.avatar)).toBe(true)
    expect(entry!.auth).toEqual(m.auth)
  }
  // A dump holds digests, never the tokens.
  const ids = new Set(made.map((m) => m.id))
  const tokens = JSON.stringify(first).match(/[A-Za-z0-9_-]{43,}/g) ?? []
  const leaked = tokens.filter((token) =>
    Array.from({ length: token.length - 42 }, (_, at) => token.slice(at, at + 43)).some((window) =>
      ids.has(window),
    ),
  )
  expect(leaked).toEqual([])
  expect(tokens.length).toBeGreaterThanOrEqual(first.sessions.length) // the digests themselves

  // 2. → Redis → dump: the same dump.
  const redis = new RedisSessionStore({ client: shared.client, prefix: shared.prefix, now: () => T })
  await redis.restore(first)
  const second = await redis.dump()
  expect(second.sessions.length).toBe(first.sessions.length)
  expect(byDigest(second)).toEqual(firstByDigest)

  // 3. → memory, later: the sessions that expired meanwhile are dropped, the rest is equal again.
  const later = new MemorySessionStore({ sweepInterval: 0, now: () => T + 700 * SECOND })
  await later.restore(second)
  const third = await later.dump()
  const kept = made.filter((m) => m.fate === 'kept')
  expect(third.sessions.length).toBe(kept.length)
  expect(byDigest(third)).toEqual(
    new Map(kept.map((m) => [digestId(m.id), firstByDigest.get(digestId(m.id))])),
  )

  // The restored sessions load by their tokens, typed content intact.
  for (const m of kept.slice(0, 200)) {
    const session = await later.get(m.id)
    expect(session?.data.equals(m.data)).toBe(true)
    expect(session?.avatar.data.equals(m.avatar)).toBe(true)
    expect(session?.auth).toEqual(m.auth)
  }
  await Promise.all([memory.close(), later.close(), redis.close()])
})
