import { describe, expect, it } from 'vitest'
import { ownCopy, RecentResults } from './recent-results.js'

describe('RecentResults', () => {
  it('answers what was set and forgets the oldest entry beyond its limit', () => {
    const recent = new RecentResults<number>(3)
    for (const [index, key] of ['a', 'b', 'c', 'd'].entries()) recent.set(key, index)
    expect(recent.get('a')).toBeUndefined()
    expect([recent.get('b'), recent.get('c'), recent.get('d')]).toEqual([1, 2, 3])
    recent.set('c', 9) // an existing key is updated: nothing is evicted for it
    expect([recent.get('b'), recent.get('c'), recent.get('d')]).toEqual([1, 9, 3])
  })
})

describe('ownCopy', () => {
  it('copies an ASCII string exactly', () => {
    const header = `other=1; sid=${'x'.repeat(86)}; more=2`
    const slice = header.slice(14, 100)
    expect(ownCopy(slice)).toBe(slice)
    expect(ownCopy('')).toBe('')
  })
})
