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
