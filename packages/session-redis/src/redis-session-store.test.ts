import { createHash, randomBytes } from 'node:crypto'
import { digestId, Session, SessionError } from '@satchel/session-core'
import { describe, expect, it } from 'vitest'
import { sharedClient } from './__fixtures__/shared-client.js'
import { RedisSessionStore } from './redis-session-store.js'

const { prefix, client } = sharedClient('store')
const GRACE = 5000

const store = () => new RedisSessionStore({ client, prefix, expiryGrace: GRACE })
const recordKey = (session: Session) => `${prefix}s:{${digestId(session.id)}}`
/** The raw stored value of a session's record. */
const rawRecord = (session: Session): Promise<Buffer> =>
  client.sendCommand<Buffer>(['GET', recordKey(session)], { typeMapping: { 36: Buffer } })

describe('the key layout in Redis', () => {
  it('keys a record by the id digest inside a hash tag and never stores the raw id', async () => {
    const session = await store().create({ identity: 'kay' })
    expect(await client.exists(recordKey(session))).toBe(1)
    const raw = await rawRecord(session)
    expect(raw.includes(Buffer.from(session.id))).toBe(false)
    expect(raw.toString('latin1', 0, 2)).toBe('1:')
  })

  it('expires a record at the earlier of its idle and absolute end plus the grace', async () => {
    const now = Date.now()
    const idle = new Session(mintId(), null, 600, { now, absoluteTtl: 3600 })
    idle.data.set('x', 1)
    const absolute = new Session(mintId(), null, 600, { now: now - 3500_000, absoluteTtl: 3600 })
    absolute.touch(now)
    absolute.data.set('x', 1)
    await store().save(idle)
    await store().save(absolute)
    expect(await client.pExpireTime(recordKey(idle))).toBe(now + 600_000 + GRACE)
    expect(await client.pExpireTime(recordKey(absolute))).toBe(now - 3500_000 + 3600_000 + GRACE)
  })
})

describe('touch', () => {
  it('moves only the expiry, and get reads the touched lastAccess from the key beside the record', async () => {
    const s = store()
    const session = await s.create()
    session.data.set('kept', 'yes')
    await s.save(session)
    const before = await rawRecord(session)
    const later = session.meta.lastAccess + 120_000
    session.touch(later)
    await s.touch(session)
    const after = await rawRecord(session)
    expect(Buffer.compare(before, after)).toBe(0)
    expect(await client.pExpireTime(recordKey(session))).toBe(later + 3600_000 + GRACE)
    const loaded = await s.get(session.id)
    expect(loaded?.meta.lastAccess).toBe(later)
    expect(loaded?.data.get('kept')).toBe('yes')
  })

  it('never moves the expiry back', async () => {
    const s = store()
    const session = await s.create()
    const expireAt = await client.pExpireTime(recordKey(session))
    session.touch(session.meta.lastAccess - 60_000)
    await s.touch(session)
    expect(await client.pExpireTime(recordKey(session))).toBe(expireAt)
  })
})

describe('versioned saves', () => {
  it('replays a stale copy onto the latest version instead of overwriting it', async () => {
    const s = store()
    const session = await s.create()
    const first = (await s.get(session.id))!
    const second = (await s.get(session.id))!
    first.data.set('a', 1)
    second.data.set('b', 2)
    await s.save(first)
    const conflicts = s.stats.conflicts
    await s.save(second)
    expect(s.stats.conflicts).toBe(conflicts + 1)
    const loaded = (await s.get(session.id))!
    expect([loaded.data.get('a'), loaded.data.get('b'), loaded.version]).toEqual([1, 2, 3])
    // The stale copy keeps its old version, so saving it again replays once more.
    second.data.set('c', 3)
    await s.save(second)
    const again = (await s.get(session.id))!
    expect([again.data.get('a'), again.data.get('b'), again.data.get('c')]).toEqual([1, 2, 3])
  })

  it('gives up with CONFLICT after maxSaveAttempts', async () => {
    const s = new RedisSessionStore({ client, prefix, maxSaveAttempts: 1 })
    const session = await s.create()
    const stale = (await s.get(session.id))!
    session.data.set('a', 1)
    await s.save(session)
    stale.data.set('b', 1)
    const error = await s.save(stale).catch((e: unknown) => e)
    expect(SessionError.is(error) && error.code).toBe('CONFLICT')
  })
})

describe('the identity index', () => {
  it('drops entries whose record is gone when listing', async () => {
    const s = store()
    const identity = `idx-${Date.now()}`
    const one = await s.create({ identity })
    const two = await s.create({ identity })
    await client.del(recordKey(two)) // as if Redis had expired it
    expect((await s.listByIdentity(identity)).map((info) => info.digest)).toEqual([digestId(one.id)])
    expect(await client.zRange(`${prefix}i:{${sha256(identity)}}`, 0, -1)).toEqual([digestId(one.id)])
  })
})

describe('options', () => {
  it('refuses a prefix with a hash tag brace and a client that is not one', () => {
    expect(() => new RedisSessionStore({ client, prefix: 'a{b}:' })).toThrow(/prefix/)
    expect(() => new RedisSessionStore({ client: null as never })).toThrow(SessionError)
  })
})

function mintId(): string {
  return randomBytes(32).toString('base64url')
}
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64url')
}

describe('deleteByIdentity', () => {
  it('counts a touched session as live although its record holds an old lastAccess', async () => {
    let time = Date.now()
    const s = new RedisSessionStore({ client, prefix, now: () => time })
    const identity = `touched-${time}`
    const session = await s.create({ identity })
    time += 3000_000
    session.touch(time)
    await s.touch(session)
    time += 1000_000 // past the stored lastAccess + ttl, before the touched one + ttl
    expect(await s.deleteByIdentity(identity)).toBe(1)
  })
})

describe('new sessions', () => {
  it('never stores a session whose id was deleted before its first save', async () => {
    const s = store()
    const session = new Session(mintId(), null, 3600)
    session.data.set('a', 1)
    await s.delete(session.id)
    await s.save(session)
    expect(session.isDestroyed).toBe(true)
    expect((await rawRecord(session)).toString()).toBe('t')
    expect(await s.get(session.id)).toBeUndefined()
  })

  it('refuses with CONFLICT to insert over an existing record', async () => {
    const s = store()
    const session = await s.create()
    const twin = new Session(session.id, null, 3600)
    const error = await s.save(twin).catch((e: unknown) => e)
    expect(SessionError.is(error) && error.code).toBe('CONFLICT')
    expect((await s.get(session.id))?.version).toBe(1)
  })
})
