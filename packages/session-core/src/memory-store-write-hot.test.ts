import { createRequire, syncBuiltinESMExports } from 'node:module'
import { Bag } from '@satchel/bag'
import { describe, expect, it, vi } from 'vitest'
import { encodeBag } from './bag-codec.js'
import { MemorySessionStore } from './memory-store.js'
import { HotRecords } from './memory-store-hot.js'
import { packRecord, unpackRecord } from './memory-store-record.js'
import type { Session } from './session.js'

const START = Date.parse('2025-01-01T00:00:00Z')

/** A record as the store writes it: data `n`, at `version`, last accessed at `lastAccess`. */
function writtenRecord(n: number, version: number, lastAccess: number) {
  const data = new Bag()
  data.set('n', n)
  const parts = {
    version,
    meta: { createdAt: START, lastAccess, ttl: 60, absoluteTtl: null },
    authJson: 'null',
    data: encodeBag(data),
    avatarData: null,
  }
  return { data, parts, packed: packRecord(parts) }
}

describe('HotRecords.keep', () => {
  it('makes a written record hot only through keep, and only records with Bags', () => {
    const hot = new HotRecords(4)
    const { data, parts, packed } = writtenRecord(1, 2, START)
    expect(hot.isWarm('a')).toBe(false)
    hot.templatesFor('a', packed, unpackRecord(packed)) // first read marks it
    expect(hot.isWarm('a')).toBe(true)
    hot.keep('a', packed, parts, null, { data, avatar: undefined })
    expect(hot.get('a', packed)).toMatchObject({ version: 2, deadline: START + 60_000, templates: { data } })
    hot.keep('b', packed, { ...parts, data: null }, null, { data: undefined, avatar: undefined })
    expect(hot.get('b', packed)).toBeUndefined()
  })

  it('refreshes a hot record in place, and drops it when the written record has no Bags', () => {
    const hot = new HotRecords(4)
    const { data, parts, packed } = writtenRecord(1, 2, START)
    hot.templatesFor('a', packed, unpackRecord(packed))
    hot.keep('a', packed, parts, null, { data, avatar: undefined })
    const entry = hot.get('a', packed)
    const { data: next, parts: later, packed: repacked } = writtenRecord(2, 3, START + 5000)
    hot.keep('a', repacked, later, null, { data: next, avatar: undefined })
    const refreshed = hot.get('a', repacked)
    expect(refreshed).toBe(entry)
    expect(refreshed).toMatchObject({ version: 3, deadline: START + 65_000, templates: { data: next } })
    hot.keep('a', repacked, { ...later, data: null }, null, { data: undefined, avatar: undefined })
    expect(hot.get('a', repacked)).toBeUndefined()
    expect(hot.isWarm('a')).toBe(false)
  })
})

describe('MemorySessionStore: a session read and written by every request', () => {
  async function cycle(store: MemorySessionStore, id: string, change: (session: Session) => void) {
    const session = (await store.get(id))!
    change(session)
    await store.save(session)
    return session
  }

  it('reads back every write, and later changes to the written session never leak', async () => {
    const store = new MemorySessionStore({ sweepInterval: 0 })
    const first = await store.create()
    first.data.set('n', 0)
    await store.save(first)
    for (let i = 1; i <= 5; i++) {
      const written = await cycle(store, first.id, (s) => s.data.set('n', (s.data.get('n') as number) + 1))
      // after the save: the request keeps using its session object without saving again
      written.data.set('n', -1)
      written.data.set('stray', true)
      const read = (await store.get(first.id))!
      expect(read.data.get('n')).toBe(i)
      expect(read.data.has('stray')).toBe(false)
      expect(read.version).toBe(i + 2) // create wrote 1, the first save 2
    }
    await store.close()
  })

  it('gives attribute maps only to the nodes that have attributes, through any number of writes', async () => {
    const store = new MemorySessionStore({ sweepInterval: 0 })
    const first = await store.create()
    first.data.set('n', 0)
    first.data.set('tagged', 'x', { kind: 'k' })
    await store.save(first)
    for (let i = 0; i < 3; i++) await cycle(store, first.id, (s) => s.data.set('n', i))
    const read = (await store.get(first.id))!
    expect(read.data.getNode('n')?._attr).toBeNull()
    expect(read.data.getNode('tagged')?.attr).toEqual({ kind: 'k' })
    await store.close()
  })

  it('gives every read its own Bag (no template is shared with a request)', async () => {
    const store = new MemorySessionStore({ sweepInterval: 0 })
    const first = await store.create()
    first.data.set('cart.item', 'sku-1', { qty: 1 })
    await store.save(first)
    await cycle(store, first.id, (s) => s.data.set('cart.item', 'sku-2', { qty: 2 }))
    const a = (await store.get(first.id))!
    const b = (await store.get(first.id))!
    a.data.setAttr('cart.item', { qty: 99 })
    expect(b.data.getAttr('cart.item', 'qty')).toBe(2)
    expect(a.data.getNode('cart')).not.toBe(b.data.getNode('cart'))
    await store.close()
  })

  it('keeps mutable values (Date) correct: such Bags are decoded per read', async () => {
    const store = new MemorySessionStore({ sweepInterval: 0 })
    const first = await store.create()
    first.data.set('when', new Date(START))
    await store.save(first)
    await store.get(first.id)
    await cycle(store, first.id, (s) => s.data.set('n', 1))
    const a = (await store.get(first.id))!
    ;(a.data.get('when') as Date).setTime(0) // in place: must not reach the next read
    const b = (await store.get(first.id))!
    expect((b.data.get('when') as Date).getTime()).toBe(START)
    await store.close()
  })

  it('takes the written state: a write to the avatar only keeps the data template', async () => {
    vi.useFakeTimers({ now: START })
    try {
      const store = new MemorySessionStore({ sweepInterval: 0 })
      const first = await store.create({ identity: 'ada' })
      first.data.set('n', 7)
      await store.save(first)
      await cycle(store, first.id, (s) => s.avatar.data.set('theme', 'dark'))
      const read = (await store.get(first.id))!
      expect(read.data.get('n')).toBe(7)
      expect(read.avatar.data.get('theme')).toBe('dark')
      expect(read.auth).toEqual({ identity: 'ada' })
      await store.close()
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('MemorySessionStore: digests', () => {
  // node:crypto's ESM named exports follow the CommonJS object after syncBuiltinESMExports()
  const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')

  it('hashes the id once for a read and the write that follows it', async () => {
    const store = new MemorySessionStore({ sweepInterval: 0 })
    const first = await store.create()
    first.data.set('n', 1)
    await store.save(first)
    const spy = vi.spyOn(crypto, 'hash')
    syncBuiltinESMExports()
    try {
      const session = (await store.get(first.id))!
      session.data.set('n', 2)
      await store.save(session)
      await store.touch(session)
      expect(spy).toHaveBeenCalledTimes(1)
    } finally {
      vi.restoreAllMocks()
      syncBuiltinESMExports()
    }
    expect((await store.get(first.id))!.data.get('n')).toBe(2)
    await store.close()
  })
})
