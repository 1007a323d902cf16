import { describe, expect, it } from 'vitest'
import { Bag } from './bag.js'
import type { BagEvent, BagObserver } from './events.js'

interface Seen {
  changes: unknown[][]
  wholes: number
}

function observed(bag: Bag): Seen {
  const seen: Seen = { changes: [], wholes: 0 }
  const observer: BagObserver = {
    change: (e: BagEvent) => void seen.changes.push([e.event, e.node.label, [...e.pathlist]]),
    whole: () => {
      seen.wholes += 1
    },
  }
  bag.observe(observer)
  return seen
}

describe('Bag.observe', () => {
  it('sees events of the whole subtree with pathlists relative to the observed Bag', () => {
    const bag = new Bag()
    bag.set('a.b', 1)
    const seen = observed(bag)
    expect(bag.backref).toBe(true)
    bag.set('a.b', 2)
    bag.set('a.c', 3)
    expect(seen.changes).toEqual([
      ['upd_value', 'b', ['a', 'b']],
      ['ins', 'c', ['a']],
    ])
  })

  it('still sees an event a subscriber stopped, which the subscribers above it do not', () => {
    const bag = new Bag()
    bag.set('a.b', 1)
    const seen = observed(bag)
    const above: string[] = []
    bag.subscribe('root', { any: (e) => void above.push(e.node.label) })
    ;(bag.get('a') as Bag).subscribe('stop', { any: () => false })
    bag.set('a.b', 2)
    expect(seen.changes).toEqual([['upd_value', 'b', ['a', 'b']]])
    expect(above).toEqual([])
  })

  it('hears of changes that fire no event, at the root or in a nested Bag, and of clearBackref', () => {
    const bag = new Bag()
    bag.set('n.z', 1)
    bag.set('n.y', 2)
    bag.setAttr('n', { k: 1 })
    const seen = observed(bag)
    ;(bag.get('n') as Bag).sort('#k:a')
    expect(seen.wholes).toBe(1)
    bag.delAttr('n', 'k')
    bag.sort('#k:d')
    bag.update({ m: 1 })
    bag.fillFrom({ only: 1 })
    bag.clear()
    expect(seen.wholes).toBe(6)
    bag.clearBackref()
    expect(seen.wholes).toBe(7)
  })

  it('gets a transaction’s mutations when it ends, also when the block threw', () => {
    const bag = new Bag()
    const seen = observed(bag)
    const delivered: number[] = []
    bag.subscribe('tx', { transaction: (e) => void delivered.push(e.mutations.length) })
    bag.transaction((b) => {
      b.set('a', 1)
      expect(seen.changes).toEqual([])
    })
    expect(() =>
      bag.transaction((b) => {
        b.set('b', 2)
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(seen.changes).toEqual([
      ['ins', 'a', []],
      ['ins', 'b', []],
    ])
    expect(delivered).toEqual([1])
  })

  it('is not copied, and observe(null) removes it', () => {
    const bag = new Bag()
    const seen = observed(bag)
    const copy = bag.deepcopy()
    copy.setBackref()
    copy.set('x', 1)
    bag.observe(null)
    bag.set('y', 1)
    expect(seen.changes).toEqual([])
  })
})
