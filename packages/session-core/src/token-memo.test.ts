import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { TokenMemo } from './token-memo.js'

const token = (): string => randomBytes(32).toString('base64url')

/** Keys whose first four characters (all the memo looks at to place them) are the same. */
const sameSlot = (count: number): string[] => Array.from({ length: count }, (_, index) => `abcd-${index}`)

describe('TokenMemo', () => {
  it('answers what was set, and nothing for a key it never saw or a key of another length', () => {
    const memo = new TokenMemo<number>(64)
    const key = token()
    memo.set(key, 1)
    expect(memo.get(` ${key}`.slice(1))).toBe(1) // an equal string, not the same one
    expect(memo.get(token())).toBeUndefined()
    expect(memo.get(key.slice(0, 42))).toBeUndefined()
    expect(memo.get('')).toBeUndefined()
    memo.set(key, 2)
    expect(memo.get(key)).toBe(2)
  })

  it('keeps two keys of one slot pair, and a third evicts the one used less recently', () => {
    const memo = new TokenMemo<string>(64)
    const [a, b, c] = sameSlot(3) as [string, string, string]
    memo.set(a, 'a')
    memo.set(b, 'b')
    expect([memo.get(a), memo.get(b)]).toEqual(['a', 'b'])
    expect(memo.get(a)).toBe('a') // now b is the less recently used
    memo.set(c, 'c')
    expect([memo.get(a), memo.get(b), memo.get(c)]).toEqual(['a', undefined, 'c'])
    memo.set(a, 'a2') // an update of a key in the second slot keeps one entry for it
    memo.set(c, 'c2')
    expect([memo.get(a), memo.get(c)]).toEqual(['a2', 'c2'])
  })

  it('keeps most of 4,096 random tokens in 8,192 slots', () => {
    const memo = new TokenMemo<number>(8192)
    const keys = Array.from({ length: 4096 }, token)
    for (const [index, key] of keys.entries()) memo.set(key, index)
    const kept = keys.filter((key, index) => memo.get(key) === index).length
    expect(kept / keys.length).toBeGreaterThan(0.85) // ~0.89 expected of two ways over 4,096 pairs
  })
})
