import { describe, expect, it } from 'vitest'
import { Bag } from './bag.js'
import type { BagEvent, BagTransactionEvent } from './events.js'

function recorder(bag: Bag, id = 'rec'): BagEvent[] {
  const events: BagEvent[] = []
  bag.subscribe(id, { any: (e) => void events.push(e) })
  return events
}

function brief(e: BagEvent): unknown[] {
  return [e.event, e.node.label, [...e.pathlist], e.index]
}

describe('events', () => {
  it('setting a new nested path fires one insert per created node, outermost first', () => {
    const bag = new Bag()
    const ev = recorder(bag)
    bag.set('a.b.c', 1)
    expect(ev.map(brief)).toEqual([
      ['ins', 'a', [], 0],
      ['ins', 'b', ['a'], 0],
      ['ins', 'c', ['a', 'b'], 0],
    ])
  })

  it('updating a value fires upd_value with the old value and a pathlist including the node', () => {
    const bag = new Bag()
    bag.set('a.b', 1)
    const ev = recorder(bag)
    bag.set('a.b', 2, null, { reason: 'why' })
    expect(ev).toHaveLength(1)
    expect(ev[0]?.event).toBe('upd_value')
    expect(ev[0]?.pathlist).toEqual(['a', 'b'])
    expect(ev[0]?.oldValue).toBe(1)
    expect(ev[0]?.attrsDiff).toBeNull()
    expect(ev[0]?.reason).toBe('why')
  })

  it('setting an identical value fires nothing', () => {
    const bag = new Bag({ a: 1 })
    const ev = recorder(bag)
    bag.set('a', 1)
    expect(ev).toEqual([])
  })

  it('setting with attributes fires upd_value_attr with the attribute diff, dropped ones included', () => {
    const bag = new Bag()
    bag.set('x', 1, { a: 1, b: 2 })
    const ev = recorder(bag)
    bag.set('x', 1, { a: 1 })
    expect(ev).toHaveLength(1)
    expect(ev[0]?.event).toBe('upd_value_attr')
    expect(ev[0]?.attrsDiff).toEqual({ b: { old: 2, new: null } })
    expect(bag.getNode('x')?.attr).toEqual({ a: 1 })
  })

  it('node setAttr fires upd_attrs only when the map really changes', () => {
    const bag = new Bag({ x: 1 })
    const ev = recorder(bag)
    bag.setAttr('x', { color: 'red' })
    bag.setAttr('x', { color: 'red' })
    expect(ev.map((e) => e.event)).toEqual(['upd_attrs'])
    expect(ev[0]?.attrsDiff).toEqual({ color: { old: null, new: 'red' } })
  })

  it('pop fires del with the index the node had and a pathlist stopping at the container', () => {
    const bag = new Bag()
    bag.set('a.x', 1)
    bag.set('a.y', 2)
    const ev = recorder(bag)
    expect(bag.pop('a.y')).toBe(2)
    expect(ev.map(brief)).toEqual([['del', 'y', ['a'], 1]])
  })

  it('events bubble to every ancestor with pathlists relative to each subscriber', () => {
    const bag = new Bag()
    bag.set('a.b.c', 1)
    const inner = bag.get('a.b') as Bag
    const top = recorder(bag)
    const low = recorder(inner)
    inner.set('c', 2)
    expect(low.map((e) => e.pathlist)).toEqual([['c']])
    expect(top.map((e) => e.pathlist)).toEqual([['a', 'b', 'c']])
  })

  it('a callback returning false stops bubbling and later subscribers of the same Bag', () => {
    const bag = new Bag()
    bag.set('a.b', 1)
    const inner = bag.get('a') as Bag
    const top = recorder(bag)
    const calls: string[] = []
    inner.subscribe('first', {
      any: () => {
        calls.push('first')
        return false
      },
    })
    inner.subscribe('second', { any: () => void calls.push('second') })
    inner.set('b', 2)
    expect(calls).toEqual(['first'])
    expect(top).toEqual([])
  })

  it('unsubscribe removes the flagged categories, or everything without flags', () => {
    const bag = new Bag()
    const ev = recorder(bag)
    bag.unsubscribe('rec', { insert: true })
    bag.set('a', 1)
    bag.set('a', 2)
    expect(ev.map((e) => e.event)).toEqual(['upd_value'])
    bag.unsubscribe('rec')
    bag.set('a', 3)
    expect(ev).toHaveLength(1)
  })

  it('getNode with autocreate fires exactly one insert event', () => {
    const bag = new Bag()
    const ev = recorder(bag)
    const node = bag.getNode('x', { autocreate: true })
    expect(node?.value).toBeNull()
    expect(ev.map(brief)).toEqual([['ins', 'x', [], 0]])
  })

  it('clear on a nested Bag fires one upd_value on the containing node with the old content', () => {
    const bag = new Bag()
    bag.set('a.x', 1)
    const ev = recorder(bag)
    ;(bag.get('a') as Bag).clear()
    expect(ev).toHaveLength(1)
    expect(ev[0]?.event).toBe('upd_value')
    expect(ev[0]?.pathlist).toEqual(['a'])
    expect((ev[0] as BagEvent).oldValue).toBeInstanceOf(Bag)
    expect(((ev[0] as BagEvent).oldValue as Bag).get('x')).toBe(1)
  })

  it('trigger false silences a mutation', () => {
    const bag = new Bag()
    const ev = recorder(bag)
    bag.set('a', 1, null, { trigger: false })
    bag.pop('a', undefined, { trigger: false })
    expect(ev).toEqual([])
  })

  it('a Bag assigned under a subscribed Bag is linked and its changes bubble', () => {
    const bag = new Bag()
    const ev = recorder(bag)
    const child = new Bag()
    bag.set('child', child)
    child.set('x', 1)
    expect(ev.map(brief)).toEqual([
      ['ins', 'child', [], 0],
      ['ins', 'x', ['child'], 0],
    ])
  })

  it('a Bag removed from its parent no longer bubbles into it', () => {
    const bag = new Bag()
    bag.set('a.x', 1)
    const child = bag.get('a') as Bag
    const ev = recorder(bag)
    bag.pop('a')
    child.set('x', 2)
    expect(ev.map((e) => e.event)).toEqual(['del'])
  })

  it('a transaction delivers the captured mutations once to transaction subscribers only', () => {
    const bag = new Bag()
    const ev = recorder(bag)
    const tx: BagTransactionEvent[] = []
    bag.subscribe('tx', { transaction: (e) => void tx.push(e) })
    bag.transaction(() => {
      bag.set('a.b', 1)
      bag.set('a.b', 2)
    })
    expect(ev).toEqual([])
    expect(tx).toHaveLength(1)
    expect(tx[0]?.mutations.map((m) => [m.event, [...m.pathlist]])).toEqual([
      ['ins', []],
      ['ins', ['a']],
      ['upd_value', ['a', 'b']],
    ])
  })

  it('a transaction captures only its own subtree', () => {
    const bag = new Bag()
    const other = new Bag()
    const otherEvents = recorder(other)
    const tx: BagTransactionEvent[] = []
    bag.subscribe('tx', { transaction: (e) => void tx.push(e) })
    bag.transaction(() => {
      bag.set('x', 1)
      other.set('y', 1)
    })
    expect(otherEvents.map((e) => e.event)).toEqual(['ins'])
    expect(tx[0]?.mutations).toHaveLength(1)
  })

  it('a transaction of a nested Bag also reaches transaction subscribers of its ancestors, re-based', () => {
    const bag = new Bag()
    bag.set('a.b', 1)
    const tx: BagTransactionEvent[] = []
    const inner: BagTransactionEvent[] = []
    bag.subscribe('root', { transaction: (e) => void tx.push(e) })
    const nested = bag.get('a') as Bag
    nested.subscribe('inner', { transaction: (e) => void inner.push(e) })
    nested.transaction(() => {
      nested.set('b', 2)
    })
    expect(inner[0]?.mutations.map((m) => [...m.pathlist])).toEqual([['b']])
    expect(tx).toHaveLength(1)
    expect(tx[0]?.bag).toBe(bag)
    expect(tx[0]?.mutations.map((m) => [...m.pathlist])).toEqual([['a', 'b']])
  })

  it('a nested transaction inside an outer transaction of an ancestor is delivered once by the outer one', () => {
    const bag = new Bag()
    bag.set('a.b', 1)
    const tx: BagTransactionEvent[] = []
    bag.subscribe('root', { transaction: (e) => void tx.push(e) })
    const nested = bag.get('a') as Bag
    bag.transaction(() => {
      nested.transaction(() => {
        nested.set('b', 2)
      })
      bag.set('c', 3)
    })
    expect(tx).toHaveLength(1)
    expect(tx[0]?.mutations.map((m) => `${m.event}:${m.pathlist.join('.')}`)).toEqual([
      'upd_value:a.b',
      'ins:',
    ])
  })

  it('a transaction that throws emits nothing and keeps the mutations', () => {
    const bag = new Bag()
    const tx: BagTransactionEvent[] = []
    bag.subscribe('tx', { transaction: (e) => void tx.push(e) })
    expect(() =>
      bag.transaction(() => {
        bag.set('x', 1)
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(tx).toEqual([])
    expect(bag.get('x')).toBe(1)
  })

  it('node-level subscribers see updates of that node without backref', () => {
    const bag = new Bag({ x: 1 })
    const seen: unknown[] = []
    bag.getNode('x')?.subscribe('n', (e) => void seen.push(e.oldValue))
    bag.set('x', 2)
    expect(seen).toEqual([1])
  })
})
