import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { OldestKeys } from './oldest-keys.js'

describe('OldestKeys', () => {
  it('gives the oldest live key as a fresh iterator would, through evictions, moves and deletes', () => {
    const map = new Map<number, number>()
    for (let key = 0; key < 200; key++) map.set(key, key)
    const oldest = new OldestKeys(map)
    let next = 200
    for (let step = 0; step < 3000; step++) {
      map.set(next++, 0)
      if (step % 3 === 0 && map.has(next - 50)) {
        map.delete(next - 50) // a read moves a key to the young end
        map.set(next - 50, 1)
      }
      if (step % 7 === 0) map.delete(next - 120) // a sweep deletes anywhere
      const key = oldest.next()
      expect(key).toBe(map.keys().next().value)
      map.delete(key!)
    }
  })

  it('keeps no outgrown table alive while its collection only grows, nor after release()', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    /** Heap growth of filling a Map to 200,000 keys after `prepare` ran on it. */
    const growth = (prepare: (map: Map<number, number>) => unknown): number => {
      gc()
      const before = process.memoryUsage().heapUsed
      const map = new Map<number, number>()
      const kept = prepare(map)
      for (let key = 0; key < 200_000; key++) map.set(key, key)
      gc()
      const grown = process.memoryUsage().heapUsed - before
      expect(kept).toBeDefined()
      expect(map.size).toBe(200_000)
      return grown
    }
    const plain = growth(() => true)
    // A live iterator made on the empty table: V8 keeps every table the Map grows out of.
    const pinned = growth((map) => map.keys())
    const unused = growth((map) => new OldestKeys(map))
    const released = growth((map) => {
      const oldest = new OldestKeys(map)
      map.set(-1, -1)
      expect(oldest.next()).toBe(-1)
      map.delete(-1)
      oldest.release()
      return oldest
    })
    expect(pinned - plain).toBeGreaterThan(1_000_000) // the effect this guards against is real
    expect(unused - plain).toBeLessThan(300_000)
    expect(released - plain).toBeLessThan(300_000)
  })

  it('starts over once it ran out, and answers undefined for an empty collection', () => {
    const set = new Set<string>()
    const oldest = new OldestKeys(set)
    expect(oldest.next()).toBeUndefined()
    set.add('a')
    expect(oldest.next()).toBe('a')
    set.delete('a')
    set.clear()
    set.add('b')
    expect(oldest.next()).toBe('b')
  })
})
