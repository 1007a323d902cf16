import { describe, expect, it } from 'vitest'
import { Bag } from './bag.js'
import type { BagNode } from './bag-node.js'

/** A small tree with branches, attributes (one named like an Object.prototype member) and leaves. */
function sample(): Bag {
  const b = new Bag()
  b.set('a', 1, { id: 1, constructor: 'c' })
  b.set('g.x', 'x', { id: 2 })
  b.set('g.y', new Bag({ k: 5 }), { id: 3 })
  b.set('g.z', { f: 7 })
  b.set('h', null)
  return b
}

describe('query static path', () => {
  it('gives the results of the generic (resolver-reading) loop when no resolver is set', () => {
    const b = sample()
    const specs = [
      '#k',
      '#p',
      '#v',
      '#__v',
      '#v.k',
      '#a',
      '#a.id',
      '#a.constructor',
      '#a.toString',
      'f',
      '#n',
    ]
    for (const deep of [false, true]) {
      for (const spec of specs) {
        const fast = b.query(spec, { deep })
        const generic = b.query(spec, { deep, static: false })
        expect(fast).toEqual(generic)
      }
      expect(b.query('#p,#v,#a.id', { deep })).toEqual(b.query('#p,#v,#a.id', { deep, static: false }))
      expect(b.query('#k,#p,#v,#a.id,#a', { deep })).toEqual(
        b.query('#k,#p,#v,#a.id,#a', { deep, static: false }),
      )
      expect(b.query([(n: BagNode) => n.label.length, '#k'], { deep })).toEqual(
        b.query([(n: BagNode) => n.label.length, '#k'], { deep, static: false }),
      )
    }
  })

  it('reads own attributes only, also for names Object.prototype holds', () => {
    const b = sample()
    expect(b.query('#a.constructor')).toEqual(['c', undefined, undefined])
    expect(b.query('#a.toString', { deep: true })).toEqual(new Array(7).fill(undefined))
  })

  it('keeps paths, filters and the limit across levels', () => {
    const b = sample()
    expect(b.query('#p', { deep: true })).toEqual(['a', 'g', 'g.x', 'g.y', 'g.y.k', 'g.z', 'h'])
    expect(b.query('#p', { deep: true, branch: false, limit: 3 })).toEqual(['a', 'g.x', 'g.y.k'])
    expect(b.query('#p', { deep: true, leaf: false })).toEqual(['g', 'g.y'])
    expect(b.query('#p', { deep: true, condition: (n) => n.getAttr('id') === 3 })).toEqual(['g.y'])
  })
})
