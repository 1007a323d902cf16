import { Bag, Decimal } from '@satchel/bag'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  type AuthInfo,
  digestId,
  mintSessionId,
  Session,
  type SessionDump,
  SessionError,
  type SessionInfo,
  type SessionStore,
} from '../index.js'

/** What `describeSessionStore` hands the store factory. */
export interface StoreTestContext {
  /**
   * The clock the store must use for every expiry decision, in epoch milliseconds. It starts at
   * the real current time and only moves forward (the suite advances it to test expiry), so a
   * store with server-side TTLs (Redis) can keep them as a backstop.
   */
  now: () => number
}

/** Options of {@link describeSessionStore}. */
export interface DescribeSessionStoreOptions {
  /** Called after each test, after `clear()` and `close()`; e.g. to delete a key prefix. */
  cleanup?: () => Promise<void> | void
}

const HOUR = 3600

/**
 * The conformance suite every `SessionStore` runs (with vitest). It uses only the public store
 * API. `makeStore` is called before each test with a controllable clock the store must use
 * for expiry; the suite calls `clear()` and `close()` after each test.
 *
 * @example
 * ```ts
 * import { describeSessionStore } from '@satchel/session-core/testing'
 * describeSessionStore('RedisSessionStore', ({ now }) => new RedisSessionStore({ client, prefix, now }))
 * ```
 */
export function describeSessionStore(
  name: string,
  makeStore: (context: StoreTestContext) => SessionStore | Promise<SessionStore>,
  options: DescribeSessionStoreOptions = {},
): void {
  describe(`${name} conforms to the SessionStore contract`, () => {
    let time = 0
    let store: SessionStore
    const now = (): number => time
    const advance = (seconds: number): void => {
      time += seconds * 1000
    }
    const newSession = (
      auth: AuthInfo | null = null,
      ttl = HOUR,
      absoluteTtl: number | null = 24 * HOUR,
    ): Session => new Session(mintSessionId(), auth, ttl, { absoluteTtl, now: time })
    const stored = async (
      auth: AuthInfo | null = null,
      fill?: (session: Session) => void,
    ): Promise<Session> => {
      const session = newSession(auth)
      fill?.(session)
      await store.save(session)
      return session
    }
    const mustGet = async (id: string): Promise<Session> => {
      const session = await store.get(id)
      expect(session, 'the session should be in the store').toBeDefined()
      return session!
    }
    const collect = async (iterable: AsyncIterable<SessionInfo>): Promise<SessionInfo[]> => {
      const all: SessionInfo[] = []
      for await (const info of iterable) all.push(info)
      return all
    }

    beforeEach(async () => {
      time = Date.now()
      store = await makeStore({ now })
      await store.clear()
    })

    afterEach(async () => {
      await store.clear()
      await store.close()
      await options.cleanup?.()
    })

    it('create() stores a session with a fresh well-formed id that get() finds', async () => {
      const created = await store.create({ identity: 'ada', tags: ['admin'] })
      expect(created.id).toMatch(/^[A-Za-z0-9_-]{43}$/)
      const loaded = await mustGet(created.id)
      expect(loaded.id).toBe(created.id)
      expect(loaded.auth).toEqual({ identity: 'ada', tags: ['admin'] })
      expect(loaded.avatar.identity).toBe('ada')
      expect(loaded.meta).toEqual(created.meta)
      expect(loaded.isNew).toBe(false)
    })

    it('get() answers undefined for unknown and malformed ids', async () => {
      expect(await store.get(mintSessionId())).toBeUndefined()
      expect(await store.get('not-an-id')).toBeUndefined()
      expect(await store.get('')).toBeUndefined()
    })

    it('save() inserts a new session and later applies its changes', async () => {
      const session = await stored(null, (s) => s.data.set('a', 1))
      const first = await mustGet(session.id)
      expect(first.data.get('a')).toBe(1)
      first.data.set('b.c', 'deep')
      first.data.pop('a')
      await store.save(first)
      const second = await mustGet(session.id)
      expect(second.data.get('a')).toBeUndefined()
      expect(second.data.get('b.c')).toBe('deep')
      expect(second.isDirty).toBe(false)
    })

    it('keeps typed data losslessly: Date, Decimal, nested Bag, attributes and avatar data', async () => {
      const when = new Date('2024-05-06T07:08:09.123Z')
      const session = await stored({ identity: 'ada' }, (s) => {
        s.data.set('when', when)
        s.data.set('price', new Decimal('12.3400'))
        s.data.set('cart.items.first', 'apple', { qty: 2, gift: true })
        s.data.set('big', 2n ** 60n)
        s.data.set('__proto__', 'plain label')
        s.avatar.data.set('theme', 'dark', { source: 'settings' })
      })
      const loaded = await mustGet(session.id)
      expect(loaded.data.get('when')).toEqual(when)
      expect(String(loaded.data.get('price'))).toBe('12.3400')
      expect(loaded.data.get('cart.items')).toBeInstanceOf(Bag)
      expect(loaded.data.getAttr('cart.items.first', 'qty')).toBe(2)
      expect(loaded.data.getAttr('cart.items.first', 'gift')).toBe(true)
      expect(loaded.data.get('big')).toBe(2n ** 60n)
      expect(loaded.data.get('__proto__')).toBe('plain label')
      expect(loaded.data.equals(session.data)).toBe(true)
      expect(loaded.avatar.data.get('theme')).toBe('dark')
      expect(loaded.avatar.data.getAttr('theme', 'source')).toBe('settings')
    })

    it('two overlapping saves that change different paths both survive', async () => {
      const session = await stored(null, (s) => s.data.set('start', true))
      const first = await mustGet(session.id)
      const second = await mustGet(session.id)
      first.data.set('fromFirst', 1)
      second.data.set('fromSecond', 2)
      second.avatar.data.set('seen', true)
      await store.save(first)
      await store.save(second)
      const merged = await mustGet(session.id)
      expect(merged.data.get('start')).toBe(true)
      expect(merged.data.get('fromFirst')).toBe(1)
      expect(merged.data.get('fromSecond')).toBe(2)
      expect(merged.avatar.data.get('seen')).toBe(true)
      // the slower writer saves again: its base is older, so it must still not undo the other's change
      second.data.set('again', 3)
      await store.save(second)
      const final = await mustGet(session.id)
      expect(final.data.get('fromFirst')).toBe(1)
      expect(final.data.get('again')).toBe(3)
    })

    it('a value no store can persist is refused with NOT_SERIALIZABLE and nothing is stored', async () => {
      const fresh = newSession()
      fresh.data.set('callback', () => 1)
      const error = await store.save(fresh).catch((caught: unknown) => caught)
      expect(SessionError.is(error) && error.code).toBe('NOT_SERIALIZABLE')
      expect(await store.get(fresh.id)).toBeUndefined()
      expect(await store.count()).toBe(0)

      const session = await stored(null, (s) => s.data.set('ok', 1))
      const loaded = await mustGet(session.id)
      loaded.data.set('bad', new (class Custom {})())
      const second = await store.save(loaded).catch((caught: unknown) => caught)
      expect(SessionError.is(second) && second.code).toBe('NOT_SERIALIZABLE')
      const after = await mustGet(session.id)
      expect(after.data.get('ok')).toBe(1)
      expect(after.data.has('bad')).toBe(false)
    })

    it('touch() persists lastAccess only', async () => {
      const session = await stored(null, (s) => s.data.set('a', 1))
      advance(600)
      const reader = await mustGet(session.id)
      const writer = await mustGet(session.id)
      writer.data.set('b', 2)
      await store.save(writer)
      reader.touch(time)
      await store.touch(reader)
      const loaded = await mustGet(session.id)
      expect(loaded.meta.lastAccess).toBe(time)
      expect(loaded.data.get('b')).toBe(2)
    })

    it('delete() removes a session and a late save cannot bring it back', async () => {
      const session = await stored({ identity: 'ada' }, (s) => s.data.set('a', 1))
      const late = await mustGet(session.id)
      await store.delete(session.id)
      expect(await store.get(session.id)).toBeUndefined()
      late.data.set('b', 2)
      await store.save(late)
      expect(late.isDestroyed).toBe(true)
      expect(await store.get(session.id)).toBeUndefined()
      expect(await store.listByIdentity('ada')).toEqual([])
    })

    it('an idle session expires after ttl and a touched one does not', async () => {
      const idle = await stored()
      const active = await stored()
      advance(HOUR - 60)
      const touched = await mustGet(active.id)
      touched.touch(time)
      await store.touch(touched)
      advance(120)
      expect(await store.get(idle.id)).toBeUndefined()
      expect(await store.get(active.id)).toBeDefined()
      expect(await store.count()).toBe(1)
    })

    it('a session expires at its absolute lifetime however active it is', async () => {
      const session = newSession(null, HOUR, 2 * HOUR)
      session.data.set('a', 1)
      await store.save(session)
      for (let step = 0; step < 3; step++) {
        advance(HOUR / 2)
        const loaded = await mustGet(session.id)
        loaded.touch(time)
        await store.touch(loaded)
      }
      advance(HOUR / 2 + 1)
      expect(await store.get(session.id)).toBeUndefined()
    })

    it('a save after expiry does not resurrect the session', async () => {
      const session = await stored()
      const loaded = await mustGet(session.id)
      advance(HOUR + 1)
      loaded.data.set('late', true)
      await store.save(loaded)
      expect(await store.get(session.id)).toBeUndefined()
    })

    it('keeps an identity index: listByIdentity shows digests and meta, never raw ids', async () => {
      const one = await stored({ identity: 'ada', tags: ['admin'] })
      const two = await stored({ identity: 'ada', tags: ['admin'] })
      await stored({ identity: 'bob' })
      await stored(null, (s) => s.data.set('anonymous', true))
      const list = await store.listByIdentity('ada')
      expect(list.map((info) => info.digest).sort()).toEqual([digestId(one.id), digestId(two.id)].sort())
      for (const info of list) {
        expect(info.identity).toBe('ada')
        expect(info.tags).toEqual(['admin'])
        expect(info.meta.ttl).toBe(HOUR)
      }
      expect(JSON.stringify(list)).not.toContain(one.id)
      expect(await store.listByIdentity('anonymous')).toEqual([])
      expect(await store.listByIdentity('nobody')).toEqual([])
    })

    it('deleteByIdentity() removes every session of an identity except the one asked', async () => {
      const keep = await stored({ identity: 'ada' })
      const gone = await stored({ identity: 'ada' })
      const gone2 = await stored({ identity: 'ada' })
      const other = await stored({ identity: 'bob' })
      const late = await mustGet(gone.id)
      expect(await store.deleteByIdentity('ada', { except: keep.id })).toBe(2)
      expect(await store.get(keep.id)).toBeDefined()
      expect(await store.get(gone.id)).toBeUndefined()
      expect(await store.get(gone2.id)).toBeUndefined()
      expect(await store.get(other.id)).toBeDefined()
      late.data.set('x', 1)
      await store.save(late)
      expect(await store.get(gone.id)).toBeUndefined()
      expect(await store.deleteByIdentity('ada')).toBe(1)
      expect(await store.listByIdentity('ada')).toEqual([])
    })

    it('count(), entries() and clear() see every live session', async () => {
      const a = await stored({ identity: 'ada' })
      const b = await stored(null, (s) => s.data.set('x', 1))
      expect(await store.count()).toBe(2)
      const infos = await collect(store.entries())
      expect(infos.map((info) => info.digest).sort()).toEqual([digestId(a.id), digestId(b.id)].sort())
      expect(infos.find((info) => info.digest === digestId(b.id))?.identity).toBe('anonymous')
      await store.clear()
      expect(await store.count()).toBe(0)
      expect(await collect(store.entries())).toEqual([])
      expect(await store.get(a.id)).toBeUndefined()
    })

    it('dump() and restore() round-trip typed sessions without holding raw ids', async () => {
      const session = await stored({ identity: 'ada', tags: ['t'] }, (s) => {
        s.data.set('when', new Date('2020-01-02T03:04:05.006Z'))
        s.data.set('price', new Decimal('0.10'))
        s.data.set('nested.deep', 'x', { attr: 1 })
        s.avatar.data.set('theme', 'dark')
      })
      const dump = await store.dump()
      expect(dump.format).toBe('satchel-sessions')
      expect(dump.version).toBe(1)
      expect(dump.sessions).toHaveLength(1)
      expect(JSON.stringify(dump)).not.toContain(session.id)
      const copy = JSON.parse(JSON.stringify(dump)) as SessionDump
      await store.clear()
      await store.restore(copy)
      const loaded = await mustGet(session.id)
      expect(loaded.data.equals(session.data)).toBe(true)
      expect(loaded.avatar.data.get('theme')).toBe('dark')
      expect(loaded.auth).toEqual({ identity: 'ada', tags: ['t'] })
      expect(loaded.meta).toEqual(session.meta)
      expect((await store.listByIdentity('ada')).map((info) => info.digest)).toEqual([digestId(session.id)])
    })

    it('restore() drops expired entries', async () => {
      const session = await stored()
      const dump = await store.dump()
      await store.clear()
      advance(HOUR + 1)
      await store.restore(dump)
      expect(await store.count()).toBe(0)
      expect(await store.get(session.id)).toBeUndefined()
    })

    it('restore() of a corrupt or foreign dump throws INVALID_DUMP and changes nothing', async () => {
      const existing = await stored({ identity: 'ada' }, (s) => s.data.set('keep', 1))
      const good = (await store.dump()).sessions[0]!
      const other = { ...good, digest: digestId(mintSessionId()) }
      const bad: unknown[] = [
        null,
        'text',
        { format: 'express-session', version: 1, sessions: [] },
        { format: 'satchel-sessions', version: 2, sessions: [] },
        { format: 'satchel-sessions', version: 1, sessions: {} },
        { format: 'satchel-sessions', version: 1, sessions: [other, { ...good, digest: 'raw-id' }] },
        { format: 'satchel-sessions', version: 1, sessions: [other, { ...other }] },
        { format: 'satchel-sessions', version: 1, sessions: [{ ...other, meta: { createdAt: 'x' } }] },
        { format: 'satchel-sessions', version: 1, sessions: [{ ...other, data: '{not tytx' }] },
        { format: 'satchel-sessions', version: 1, sessions: [{ ...other, auth: { tags: [] } }] },
        { format: 'satchel-sessions', version: 1, sessions: [other, null] },
      ]
      for (const dump of bad) {
        const error = await store.restore(dump as SessionDump).catch((caught: unknown) => caught)
        expect(SessionError.is(error) && error.code, JSON.stringify(dump)).toBe('INVALID_DUMP')
      }
      expect(await store.count()).toBe(1)
      expect(await store.get(other.digest)).toBeUndefined()
      expect((await mustGet(existing.id)).data.get('keep')).toBe(1)
    })
  })
}
