import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Bag } from '@satchel/bag'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MemorySessionStore, mintSessionId, Session, SessionError, type StoreEvent } from './index.js'
import { describeSessionStore } from './testing/index.js'

describeSessionStore('MemorySessionStore', ({ now }) => new MemorySessionStore({ now, sweepInterval: 0 }))

const START = Date.parse('2025-01-01T00:00:00Z')

function sessionWith(value: number, now = START): Session {
  const session = new Session(mintSessionId(), null, 3600, { now })
  session.data.set('value', value)
  return session
}

describe('MemorySessionStore', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'satchel-memory-store-'))
  })
  afterEach(() => {
    vi.useRealTimers()
    rmSync(dir, { recursive: true, force: true })
  })

  it('sweeps expired sessions on an unref’d timer and reports them', async () => {
    vi.useFakeTimers({ now: START })
    const store = new MemorySessionStore({ sweepInterval: 30 })
    const events: StoreEvent[] = []
    store.subscribe((event) => events.push(event))
    await store.save(sessionWith(1, Date.now()))
    vi.advanceTimersByTime(3600 * 1000 + 30_000)
    expect(events.map((event) => event.type)).toEqual(['expired'])
    expect(await store.count()).toBe(0)
    await store.close()
  })

  it('keeps its sweep timer from holding the process open', async () => {
    const spy = vi.spyOn(globalThis, 'setInterval')
    const store = new MemorySessionStore({ sweepInterval: 1 })
    const timer = spy.mock.results[0]?.value as NodeJS.Timeout
    spy.mockRestore()
    expect(timer.hasRef()).toBe(false)
    await store.close()
  })

  it('evicts the least recently used session beyond maxSessions and emits evicted', async () => {
    let time = START
    const store = new MemorySessionStore({ maxSessions: 2, sweepInterval: 0, now: () => time })
    const events: StoreEvent[] = []
    store.subscribe((event) => events.push(event))
    const a = sessionWith(1)
    const b = sessionWith(2)
    const c = sessionWith(3)
    await store.save(a)
    await store.save(b)
    time += 1000
    expect(await store.get(a.id)).toBeDefined() // a is now the most recently used
    await store.save(c)
    expect(await store.get(b.id)).toBeUndefined()
    expect(await store.get(a.id)).toBeDefined()
    expect(await store.get(c.id)).toBeDefined()
    expect(events).toEqual([{ type: 'evicted', digest: expect.any(String) }])
    await store.close()
  })

  it('restores persistFile on start and writes it on close', async () => {
    const file = join(dir, 'sessions.json')
    const first = new MemorySessionStore({ persistFile: file, sweepInterval: 0 })
    const session = sessionWith(42, Date.now())
    await first.save(session)
    await first.close()
    expect(JSON.parse(readFileSync(file, 'utf8')).format).toBe('satchel-sessions')
    const second = new MemorySessionStore({ persistFile: file, sweepInterval: 0 })
    expect((await second.get(session.id))?.data.get('value')).toBe(42)
    await second.close()
  })

  it('refuses to start on a corrupt persistFile rather than silently dropping sessions', () => {
    const file = join(dir, 'sessions.json')
    writeFileSync(file, '{"format":"something-else"}')
    expect(() => new MemorySessionStore({ persistFile: file })).toThrow(SessionError)
    writeFileSync(file, 'not json')
    expect(() => new MemorySessionStore({ persistFile: file })).toThrow(/not JSON/)
  })

  it('writes persistFile on SIGTERM when asked, and removes its handler on close', async () => {
    const file = join(dir, 'sessions.json')
    const keepAlive = (): void => {} // another listener, so the store does not re-send the signal
    process.on('SIGTERM', keepAlive)
    try {
      const before = process.listenerCount('SIGTERM')
      const store = new MemorySessionStore({ persistFile: file, dumpOnSigterm: true, sweepInterval: 0 })
      expect(process.listenerCount('SIGTERM')).toBe(before + 1)
      await store.save(sessionWith(7, Date.now()))
      process.emit('SIGTERM', 'SIGTERM')
      expect(JSON.parse(readFileSync(file, 'utf8')).sessions).toHaveLength(1)
      expect(process.listenerCount('SIGTERM')).toBe(before)
      const other = new MemorySessionStore({ persistFile: file, dumpOnSigterm: true, sweepInterval: 0 })
      await other.close()
      expect(process.listenerCount('SIGTERM')).toBe(before)
    } finally {
      process.removeListener('SIGTERM', keepAlive)
    }
  })

  it('serves hot records from decoded templates without leaking one request’s unsaved changes', async () => {
    const store = new MemorySessionStore({ sweepInterval: 0, now: () => START })
    const session = sessionWith(1)
    session.data.set('nested.list', 'a', { attr: 'x' })
    session.avatar.data.set('theme', 'dark')
    await store.save(session)
    const decodes = vi.spyOn(Bag, 'fromTytx')
    for (let read = 0; read < 4; read++) {
      const loaded = (await store.get(session.id))!
      expect(loaded.data.get('value')).toBe(1)
      expect(loaded.data.get('nested.list')).toBe('a')
      expect(loaded.data.getAttr('nested.list', 'attr')).toBe('x')
      expect(loaded.avatar.data.get('theme')).toBe('dark')
      loaded.data.set('value', 99) // unsaved: must not reach the next read
      loaded.data.set('nested.list', 'b', { attr: 'y' })
      loaded.avatar.data.set('theme', 'light')
    }
    // read 1 decodes both Bags, read 2 builds the templates, reads 3 and 4 only copy them
    expect(decodes).toHaveBeenCalledTimes(4)
    decodes.mockRestore()
    const saved = (await store.get(session.id))!
    saved.data.set('value', 2)
    await store.save(saved)
    expect((await store.get(session.id))?.data.get('value')).toBe(2)
    await store.close()
  })

  it('decodes Bags with mutable values (a Date) for every read instead of sharing them', async () => {
    const store = new MemorySessionStore({ sweepInterval: 0, now: () => START })
    const session = sessionWith(1)
    session.data.set('when', new Date(START))
    await store.save(session)
    for (let read = 0; read < 4; read++) {
      const loaded = (await store.get(session.id))!
      expect((loaded.data.get('when') as Date).getTime()).toBe(START)
      ;(loaded.data.get('when') as Date).setTime(0) // in place, unsaved
    }
    await store.close()
  })

  it('keeps the LRU order when the newest session is saved again in place', async () => {
    const store = new MemorySessionStore({ maxSessions: 2, sweepInterval: 0, now: () => START })
    const events: StoreEvent[] = []
    store.subscribe((event) => events.push(event))
    const a = sessionWith(1)
    const b = sessionWith(2)
    await store.save(a)
    a.data.set('value', 10)
    await store.save(a) // a is the newest: rewritten without moving
    await store.save(b)
    await store.get(b.id) // the newest again: nothing moves
    await store.save(sessionWith(3)) // evicts a, the least recently used
    expect(await store.get(a.id)).toBeUndefined()
    expect((await store.get(b.id))?.data.get('value')).toBe(2)
    expect(events).toHaveLength(1)
    // Deleting the newest session leaves the others in order.
    const d = sessionWith(4)
    await store.save(d)
    await store.delete(d.id)
    const e = sessionWith(5)
    await store.save(e)
    await store.save(sessionWith(6)) // evicts b (older than e)
    expect(await store.get(b.id)).toBeUndefined()
    expect((await store.get(e.id))?.data.get('value')).toBe(5)
    await store.close()
  })

  it('keeps serving hot records from templates after a touch, with the touched meta', async () => {
    let time = START
    const store = new MemorySessionStore({ sweepInterval: 0, now: () => time })
    const session = sessionWith(1)
    await store.save(session)
    await store.get(session.id)
    await store.get(session.id) // hot from here on
    time += 60_000
    const touched = (await store.get(session.id))!
    touched.touch(time)
    await store.touch(touched)
    const decodes = vi.spyOn(Bag, 'fromTytx')
    const loaded = (await store.get(session.id))!
    expect(loaded.meta.lastAccess).toBe(time)
    expect(loaded.version).toBe(1)
    expect(loaded.data.get('value')).toBe(1)
    expect(decodes).not.toHaveBeenCalled()
    decodes.mockRestore()
    time += 3599_000 // within the ttl of the touched lastAccess only
    expect((await store.get(session.id))?.data.get('value')).toBe(1)
    await store.close()
  })

  it('keeps auth beyond latin1 and its identity index intact', async () => {
    const store = new MemorySessionStore({ sweepInterval: 0, now: () => START })
    const auth = { identity: '山田👩‍💻', tags: ['admin', 'ü'], note: 'ÿ\u0000' }
    const session = new Session(mintSessionId(), auth, 3600, { now: START })
    session.avatar.data.set('theme', 'dark')
    await store.save(session)
    const loaded = (await store.get(session.id))!
    expect(loaded.auth).toEqual(auth)
    expect(loaded.avatar.identity).toBe('山田👩‍💻')
    expect(loaded.avatar.data.get('theme')).toBe('dark')
    const [listed] = await store.listByIdentity('山田👩‍💻')
    expect(listed).toMatchObject({ identity: '山田👩‍💻', tags: ['admin', 'ü'] })
    expect((await store.dump()).sessions[0]?.auth).toEqual(auth)
    expect(await store.deleteByIdentity('山田👩‍💻')).toBe(1)
    expect(await store.listByIdentity('山田👩‍💻')).toEqual([])
    await store.close()
  })

  it('sweeps sessions at their absolute lifetime and forgets their identity', async () => {
    let time = START
    const store = new MemorySessionStore({ sweepInterval: 0, now: () => time })
    const events: StoreEvent[] = []
    store.subscribe((event) => events.push(event))
    const session = new Session(mintSessionId(), { identity: 'ada' }, 3600, { now: START, absoluteTtl: 60 })
    await store.save(session)
    await store.save(sessionWith(1))
    time += 59_999
    store.sweep()
    expect(events).toEqual([])
    time += 1
    store.sweep()
    expect(events).toEqual([{ type: 'expired', digest: expect.any(String) }])
    expect(await store.listByIdentity('ada')).toEqual([])
    expect(await store.count()).toBe(1)
    await store.close()
  })

  it('rejects invalid options', () => {
    expect(() => new MemorySessionStore({ maxSessions: 0 })).toThrow(SessionError)
    expect(() => new MemorySessionStore({ defaultTtl: -1 })).toThrow(SessionError)
    expect(() => new MemorySessionStore({ dumpOnSigterm: true })).toThrow(/persistFile/)
  })
})
