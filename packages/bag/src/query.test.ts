import { describe, expect, it } from 'vitest'
import { Bag } from './bag.js'
import type { BagNode } from './bag-node.js'
import { BagError } from './errors.js'

function people(): Bag {
  const b = new Bag()
  b.set('alice', 30, { city: 'Rome', qty: 2 })
  b.set('bob', 25, { city: 'milan', qty: 3 })
  b.set('carol', null, { city: 'Bari' })
  const team = new Bag()
  team.set('dave', 40, { city: 'Turin', qty: 1 })
  b.set('team', team, { city: 'Naples' })
  return b
}

function labels(b: Bag): string[] {
  return b.keys()
}

describe('query', () => {
  it('returns one array of values for one specifier and rows for several', () => {
    const b = people()
    expect(b.query('#k')).toEqual(['alice', 'bob', 'carol', 'team'])
    expect(b.query('#k,#a.city')).toEqual([
      ['alice', 'Rome'],
      ['bob', 'milan'],
      ['carol', 'Bari'],
      ['team', 'Naples'],
    ])
  })

  it('defaults to label, value and the live attribute map', () => {
    const b = people()
    const rows = b.query() as unknown[][]
    expect(rows[0]?.[0]).toBe('alice')
    expect(rows[0]?.[2]).toBe((b.getNode('alice') as BagNode).attr)
  })

  it('recurses with deep, giving null for branch values and dotted paths with #p', () => {
    const b = people()
    expect(b.query('#p,#v', { deep: true })).toEqual([
      ['alice', 30],
      ['bob', 25],
      ['carol', null],
      ['team', null],
      ['team.dave', 40],
    ])
  })

  it('filters leaves, branches, conditions and stops at the limit', () => {
    const b = people()
    expect(b.query('#k', { deep: true, branch: false })).toEqual(['alice', 'bob', 'carol', 'dave'])
    expect(b.query('#k', { deep: true, leaf: false })).toEqual(['team'])
    expect(
      b.query('#k', { deep: true, condition: (n: BagNode) => n.getAttr('qty') !== undefined, limit: 3 }),
    ).toEqual(['alice', 'bob', 'dave'])
  })

  it('reads #v.<path>, #__v, fields of Bag values, functions and a sub-path prefix', () => {
    const b = people()
    expect(b.query('#v.dave', { leaf: false })).toEqual([40])
    expect(b.query('#__v', { branch: false })).toEqual([30, 25, null])
    expect(b.query('dave', { leaf: false })).toEqual([40])
    expect(b.query([(n: BagNode) => n.label.toUpperCase()])).toEqual(['ALICE', 'BOB', 'CAROL', 'TEAM'])
    expect(b.query('team:#k,#v')).toEqual([['dave', 40]])
    expect(b.query('missing:#k')).toEqual([])
  })
})

describe('digest, columns and sum', () => {
  it('digest transposes into columns, one empty list per column for an empty Bag', () => {
    const b = people()
    expect(b.digest('#k,#a.qty', { asColumns: true })).toEqual([
      ['alice', 'bob', 'carol', 'team'],
      [2, 3, undefined, undefined],
    ])
    expect(b.digest('#k', { asColumns: true })).toEqual([['alice', 'bob', 'carol', 'team']])
    expect(new Bag().digest('#k,#v', { asColumns: true })).toEqual([[], []])
  })

  it('columns reads attributes in attrMode', () => {
    expect(people().columns('city,qty', { attrMode: true })).toEqual([
      ['Rome', 'milan', 'Bari', 'Naples'],
      [2, 3, undefined, undefined],
    ])
  })

  it('sum counts null as zero, sums several columns, deep or filtered', () => {
    const b = people()
    expect(b.sum('#a.qty')).toBe(5)
    expect(b.sum('#a.qty', { deep: true })).toBe(6)
    expect(b.sum('#v,#a.qty', { condition: (n: BagNode) => !n.isBranch && n.label !== 'bob' })).toEqual([
      30, 2,
    ])
    expect(() => b.sum('#a.city')).toThrow(BagError)
  })
})

describe('sort', () => {
  it('sorts by label ascending case-insensitively by default, in place and without events', () => {
    const b = new Bag()
    for (const k of ['b', 'C', 'a']) b.set(k, 1)
    let events = 0
    b.subscribe('s', { any: () => events++ })
    expect(labels(b.sort())).toEqual(['a', 'b', 'C'])
    expect(labels(b.sort('#k:A'))).toEqual(['C', 'a', 'b'])
    expect(labels(b.sort('#k:d'))).toEqual(['C', 'b', 'a'])
    expect(labels(b.sort('#k:D'))).toEqual(['b', 'a', 'C'])
    expect(events).toBe(0)
    expect(b.get('C')).toBe(1)
  })

  it('sorts by value with nulls last ascending and first descending', () => {
    const b = new Bag()
    b.set('x', 3)
    b.set('n', null)
    b.set('y', 1)
    expect(labels(b.sort('#v'))).toEqual(['y', 'x', 'n'])
    expect(labels(b.sort('#v:d'))).toEqual(['n', 'x', 'y'])
  })

  it('sorts by attribute, by field of the value, stably over several criteria, or by a function', () => {
    const b = new Bag()
    b.set('r1', new Bag({ age: 30 }), { g: 'b' })
    b.set('r2', new Bag({ age: 20 }), { g: 'a' })
    b.set('r3', new Bag({ age: 25 }), { g: 'b' })
    expect(labels(b.sort('#a.g'))).toEqual(['r2', 'r1', 'r3'])
    expect(labels(b.sort('age:d'))).toEqual(['r1', 'r3', 'r2'])
    expect(labels(b.sort('#a.g:a,age:a'))).toEqual(['r2', 'r3', 'r1'])
    expect(labels(b.sort((n: BagNode) => -((n.value as Bag).get('age') as number)))).toEqual([
      'r1',
      'r3',
      'r2',
    ])
  })

  it('refuses to compare numbers with strings', () => {
    const b = new Bag()
    b.set('a', 1)
    b.set('b', 'x')
    expect(() => b.sort('#v')).toThrow(BagError)
  })
})

describe('getNodeByAttr and getNodeByValue', () => {
  it('finds a first-level match before descending, then searches depth-first with typed equality', () => {
    const b = new Bag()
    b.set('deep.inner', 1, { id: 7 })
    b.set('top', 2, { id: 7 })
    b.set('str', 3, { id: '8' })
    expect(b.getNodeByAttr('id', 7)?.label).toBe('top')
    expect(b.getNodeByAttr('id', 8)).toBeUndefined()
    expect(b.getNodeByAttr('id', '8')?.label).toBe('str')
    b.pop('top')
    expect(b.getNodeByAttr('id', 7)?.label).toBe('inner')
  })

  it('finds the first first-level node whose Bag or object value has the key', () => {
    const b = new Bag()
    b.set('u1', new Bag({ name: 'ann' }))
    b.set('u2', { name: 'bob' })
    b.set('u3.sub', new Bag({ name: 'cat' }))
    expect(b.getNodeByValue('name', 'bob')?.label).toBe('u2')
    expect(b.getNodeByValue('name', 'ann')?.label).toBe('u1')
    expect(b.getNodeByValue('name', 'cat')).toBeUndefined()
  })
})

describe('move', () => {
  function abc(n: number): Bag {
    const b = new Bag()
    for (const k of 'abcde'.slice(0, n)) b.set(k, k)
    return b
  }

  it('moves one node to the position of another', () => {
    const b = abc(3)
    b.move(0, 2)
    expect(labels(b)).toEqual(['b', 'c', 'a'])
    b.move(2, 0)
    expect(labels(b)).toEqual(['a', 'b', 'c'])
    expect(b.get('a')).toBe('a')
  })

  it('moves several nodes after or before the destination, keeping their order', () => {
    const b4 = abc(4)
    b4.move([0, 2], 1)
    expect(labels(b4)).toEqual(['b', 'a', 'c', 'd'])
    const b5 = abc(5)
    b5.move([0, 1], 3)
    expect(labels(b5)).toEqual(['c', 'd', 'a', 'b', 'e'])
    const b5b = abc(5)
    b5b.move([3, 4], 0)
    expect(labels(b5b)).toEqual(['d', 'e', 'a', 'b', 'c'])
  })

  it('ignores invalid moves', () => {
    const b = abc(3)
    b.move(0, 5)
    b.move(5, 0)
    b.move(1, 1)
    b.move([], 0)
    b.move(0, -1)
    expect(labels(b)).toEqual(['a', 'b', 'c'])
  })

  it('fires a delete then an insert event per moved node', () => {
    const b = abc(3)
    const events: string[] = []
    b.subscribe('s', {
      any: (e: { event: string; node: BagNode }) => events.push(`${e.event}:${e.node.label}`),
    })
    b.move(0, 2)
    expect(events).toEqual(['del:a', 'ins:a'])
    b.move(0, 2, { trigger: false })
    expect(events).toEqual(['del:a', 'ins:a'])
  })
})
