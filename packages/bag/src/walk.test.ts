import { describe, expect, it } from 'vitest'
import { Bag } from './bag.js'
import type { BagNode } from './bag-node.js'

function sample(): Bag {
  const b = new Bag()
  b.set('a.x', 1)
  b.set('a.y.z', 2)
  b.set('b', 3)
  return b
}

describe('walk', () => {
  it('visits every node depth-first in pre-order with the labels down to the node', () => {
    const seen: string[] = []
    sample().walk((node: BagNode, pathlist: string[]) => {
      seen.push(`${node.label}:${pathlist.join('/')}`)
    })
    expect(seen).toEqual(['a:a', 'x:a/x', 'y:a/y', 'z:a/y/z', 'b:b'])
  })

  it('stops at the first truthy callback result and returns it', () => {
    const seen: string[] = []
    const result = sample().walk((node: BagNode) => {
      seen.push(node.label)
      return node.label === 'y' ? node : undefined
    }) as BagNode
    expect(result.label).toBe('y')
    expect(seen).toEqual(['a', 'x', 'y'])
  })

  it('yields dotted paths and nodes without a callback', () => {
    const entries = [...(sample().walk() as Iterable<[string, BagNode]>)].map(([p]) => p)
    expect(entries).toEqual(['a', 'a.x', 'a.y', 'a.y.z', 'b'])
  })

  it('walks 100 000 nested levels without overflowing the stack', () => {
    const root = new Bag()
    let cur = root
    for (let i = 0; i < 100_000; i++) {
      const next = new Bag()
      cur.set('n', next)
      cur = next
    }
    let count = 0
    for (const _entry of root.walk() as Iterable<[string, BagNode]>) count++
    expect(count).toBe(100_000)
    let deepest = 0
    const stop = root.walk((_node: BagNode, pathlist: string[]) => {
      deepest = pathlist.length
      return pathlist.length === 3_000
    })
    expect(stop).toBe(true)
    expect(deepest).toBe(3_000)
  })
})
