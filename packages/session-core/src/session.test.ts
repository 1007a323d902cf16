import { Bag } from '@satchel/bag'
import { describe, expect, it } from 'vitest'
import {
  Avatar,
  type Change,
  decodeRecord,
  encodeRecord,
  mintSessionId,
  Session,
  SessionError,
} from './index.js'

const T0 = Date.parse('2025-01-01T00:00:00Z')

const stored = (fill: (session: Session) => void): Session => {
  const session = new Session(mintSessionId(), null, 3600, { now: T0 })
  fill(session)
  return decodeRecord(encodeRecord(session, 1), session.id)
}

describe('Avatar', () => {
  it('defaults to anonymous and takes identity and tags from auth when given', () => {
    const anonymous = new Avatar()
    expect([anonymous.identity, anonymous.tags, anonymous.isAnonymous]).toEqual(['anonymous', [], true])
    const named = new Avatar('ada', ['x'])
    expect([named.identity, named.hasTag('x'), named.isAnonymous]).toEqual(['ada', true, true])
    const fromAuth = new Avatar('ignored', ['ignored'], { identity: 'bob', tags: ['admin'] })
    expect([fromAuth.identity, fromAuth.tags, fromAuth.isAnonymous]).toEqual(['bob', ['admin'], false])
    expect(fromAuth.hasTag('ignored')).toBe(false)
    expect(fromAuth.data).toBeInstanceOf(Bag)
  })
})

describe('Session', () => {
  it('keeps meta in epoch milliseconds and seconds, as the seed does', () => {
    const session = new Session(mintSessionId(), null, 600, { now: T0, absoluteTtl: 3600 })
    expect(session.meta).toEqual({ createdAt: T0, lastAccess: T0, ttl: 600, absoluteTtl: 3600 })
    expect(new Session(mintSessionId(), null, 600).meta.absoluteTtl).toBeNull()
  })

  it('expires on idle time and on absolute lifetime', () => {
    const session = new Session(mintSessionId(), null, 600, { now: T0, absoluteTtl: 3600 })
    expect(session.isExpired(T0 + 599_000)).toBe(false)
    expect(session.isExpired(T0 + 600_000)).toBe(true)
    session.touch(T0 + 3_000_000)
    expect(session.meta.lastAccess).toBe(T0 + 3_000_000)
    expect(session.isExpired(T0 + 3_500_000)).toBe(false)
    expect(session.isExpired(T0 + 3_600_000)).toBe(true)
  })

  it('snapshots auth: a deep frozen copy of plain data, with the avatar built from it', () => {
    const auth = { identity: 'ada', tags: ['admin'], profile: { city: 'London' } }
    const session = new Session(mintSessionId(), auth, 60)
    auth.profile.city = 'Paris'
    expect(session.auth).toEqual({ identity: 'ada', tags: ['admin'], profile: { city: 'London' } })
    expect(Object.isFrozen(session.auth?.profile)).toBe(true)
    expect(session.avatar.identity).toBe('ada')
    expect(() => new Session(mintSessionId(), { identity: 'x', at: new Date() }, 60)).toThrow(SessionError)
    expect(() => new Session(mintSessionId(), { identity: '' }, 60)).toThrow(/identity/)
  })

  it('keeps a __proto__ key of auth as ordinary data, through a record, without pollution', () => {
    const auth = JSON.parse('{"identity":"ada","__proto__":{"polluted":true}}')
    const session = new Session(mintSessionId(), auth, 60)
    const loaded = decodeRecord(encodeRecord(session, 1), session.id)
    for (const snapshot of [session.auth, loaded.auth]) {
      expect(Object.hasOwn(snapshot!, '__proto__')).toBe(true)
      expect(Object.getPrototypeOf(snapshot)).toBe(Object.prototype)
      expect((snapshot as Record<string, unknown>).polluted).toBeUndefined()
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('records changes from Bag events with label paths from the scope root', () => {
    const session = stored((s) => s.data.set('cart.items', 1))
    session.data.set('cart.items', 2)
    session.data.set('prefs.theme', 'dark', { from: 'ui' })
    session.data.setAttr('cart.items', { currency: 'EUR' })
    session.data.pop('cart.items')
    session.avatar.data.set('seen', true)
    const expected: Change[] = [
      { scope: 'data', path: ['cart', 'items'], kind: 'set' },
      { scope: 'data', path: ['prefs'], kind: 'ensure' },
      { scope: 'data', path: ['prefs', 'theme'], kind: 'set' },
      { scope: 'data', path: ['cart', 'items'], kind: 'set' },
      { scope: 'data', path: ['cart', 'items'], kind: 'delete' },
      { scope: 'avatar', path: ['seen'], kind: 'set' },
    ]
    expect(session.changes).toEqual(expected)
    expect(session.isDirty).toBe(true)
  })

  it('records changes made inside a Bag transaction', () => {
    const session = stored(() => {})
    session.data.transaction((bag) => {
      bag.set('a', 1)
      bag.set('b', 2)
    })
    expect(session.changes.map((change) => change.path)).toEqual([['a'], ['b']])
  })

  it('records a root clear(), which fires no Bag event, as a change of the whole scope', () => {
    const session = stored((s) => s.data.set('a', 1))
    session.data.set('b', 2)
    session.data.clear()
    expect(session.changes).toEqual([{ scope: 'data', path: [], kind: 'set' }])
    const reloaded = decodeRecord(encodeRecord(session, 2), session.id)
    expect(reloaded.data.length).toBe(0)
  })

  it('records changes no subscriber sees: a stopped event, a nested sort, a transaction that threw', () => {
    const session = stored((s) => {
      s.data.set('list.b', 2)
      s.data.set('list.a', 1)
    })
    ;(session.data.get('list') as Bag).subscribe('app', { any: () => false })
    session.data.set('list.c', 3)
    expect(session.changes).toEqual([{ scope: 'data', path: ['list', 'c'], kind: 'set' }])
    ;(session.data.get('list') as Bag).sort('#k:a')
    expect(session.changes).toEqual([{ scope: 'data', path: [], kind: 'set' }])
    const reloaded = decodeRecord(encodeRecord(session, 2), session.id)
    expect([...(reloaded.data.get('list') as Bag).keys()]).toEqual(['a', 'b', 'c'])

    const other = stored(() => {})
    expect(() =>
      other.data.transaction((bag) => {
        bag.set('kept', 1)
        throw new Error('late failure')
      }),
    ).toThrow('late failure')
    expect(other.changes).toEqual([{ scope: 'data', path: ['kept'], kind: 'set' }])
  })

  it('markSaved() clears the change log and sets the version', () => {
    const session = stored((s) => s.data.set('a', 1))
    expect(session.version).toBe(1)
    session.data.set('a', 2)
    session.markSaved(2)
    expect([session.changes, session.version, session.isNew, session.isDirty]).toEqual([[], 2, false, false])
  })
})

describe('records', () => {
  it('round-trip meta, auth, data and avatar data', () => {
    const session = new Session(mintSessionId(), { identity: 'ada', tags: ['t'] }, 60, {
      now: T0,
      absoluteTtl: 120,
    })
    session.data.set('a.b', 1, { x: 'y' })
    session.avatar.data.set('theme', 'dark')
    const loaded = decodeRecord(encodeRecord(session, 3), session.id)
    expect(loaded.version).toBe(3)
    expect(loaded.meta).toEqual(session.meta)
    expect(loaded.auth).toEqual(session.auth)
    expect(loaded.data.equals(session.data)).toBe(true)
    expect(loaded.avatar.data.get('theme')).toBe('dark')
    expect(loaded.changes).toEqual([])
  })

  it('shares one deep-frozen auth snapshot between decodes of the same record', () => {
    const session = new Session(mintSessionId(), { identity: 'ada', tags: ['a'], extra: { x: 1 } }, 60)
    const bytes = encodeRecord(session, 1)
    const one = decodeRecord(bytes, session.id)
    const two = decodeRecord(bytes, session.id)
    expect(one.auth).toBe(two.auth)
    expect(Object.isFrozen(one.auth?.extra)).toBe(true)
    expect(one.avatar.tags).toEqual(['a'])
  })

  it('reuses the encoded bytes of a Bag that did not change', () => {
    const loaded = stored((s) => s.data.set('a', 1))
    const first = encodeRecord(loaded, 2)
    loaded.data.get('a') // reading decodes but does not change
    expect(encodeRecord(loaded, 2)).toEqual(first)
    loaded.data.set('a', 5)
    expect(decodeRecord(encodeRecord(loaded, 2), loaded.id).data.get('a')).toBe(5)
  })

  it('throws CORRUPT_RECORD for bytes that are not a record', () => {
    for (const bytes of [new Uint8Array([1, 2, 3]), new Uint8Array(), new TextEncoder().encode('{"v":1}')]) {
      const error = (() => {
        try {
          decodeRecord(bytes, mintSessionId())
        } catch (caught) {
          return caught
        }
        return undefined
      })()
      expect(SessionError.is(error) && error.code).toBe('CORRUPT_RECORD')
    }
  })
})
