import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
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
  it('copies a string exactly', () => {
    const header = `other=1; sid=${'x'.repeat(86)}; more=2`
    const slice = header.slice(14, 100)
    expect(ownCopy(slice)).toBe(slice)
    expect(ownCopy('')).toBe('')
    expect(ownCopy('é€😀')).toBe('é€😀')
  })

  it('keeps no part of the string it was sliced from alive', () => {
    setFlagsFromString('--expose-gc')
    const gc = runInNewContext('gc') as () => void
    const heap = () => {
      gc()
      return process.memoryUsage().heapUsed
    }
    const slices = (copy: (text: string) => string) => {
      const before = heap()
      const kept = Array.from({ length: 20 }, (_, index) => {
        const parent = `${index}`.padEnd(1_000_000, 'z') // 1 MB, a parent of its own each
        return copy(parent.slice(0, 43))
      })
      const grown = heap() - before
      expect(kept).toHaveLength(20)
      return grown
    }
    expect(slices((text) => text)).toBeGreaterThan(15_000_000) // a plain slice keeps its parent
    expect(slices(ownCopy)).toBeLessThan(2_000_000)
  })
})
