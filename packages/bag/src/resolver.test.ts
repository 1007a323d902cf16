import { describe, expect, it } from 'vitest'
import { Bag } from './bag.js'
import { BagError } from './errors.js'
import { CallbackResolver, UuidResolver } from './resolver.js'

describe('resolvers', () => {
  it('a callback resolver without cache runs on every read with merged parameters', () => {
    let calls = 0
    const bag = new Bag()
    bag.set(
      'calc',
      new CallbackResolver(
        (p) => {
          calls++
          return (p.a as number) + (p.b as number)
        },
        { a: 1, b: 1 },
      ),
      { b: 10 },
    )
    expect(bag.get('calc')).toBe(11)
    expect(bag.get('calc', undefined, { params: { a: 100 } })).toBe(110)
    expect(calls).toBe(2)
    expect(bag.get('calc', undefined, { static: true })).toBeNull()
  })

  it('query parameters ?k=v are typed, written into the attributes and passed to the resolver', () => {
    const bag = new Bag()
    bag.set('r', new CallbackResolver((p) => p.x))
    expect(bag.get('r?x=7::L')).toBe(7)
    expect(bag.getAttr('r', 'x')).toBe(7)
    expect(() => new Bag({ plain: 1 }).get('plain?x=1')).toThrow(BagError)
  })

  it('cacheTime keeps the produced value in the node until reset', () => {
    let n = 0
    const r = new CallbackResolver(() => ++n, { cacheTime: Number.POSITIVE_INFINITY })
    const bag = new Bag()
    bag.set('c', r)
    expect(bag.get('c')).toBe(1)
    expect(bag.get('c')).toBe(1)
    expect(bag.get('c', undefined, { static: true })).toBe(1)
    r.reset()
    expect(bag.get('c')).toBe(2)
  })

  it('a negative cacheTime is rejected', () => {
    expect(() => new CallbackResolver(() => 1, { cacheTime: -1 })).toThrow(BagError)
  })

  it('get on an async resolver starts no work and getAsync resolves it', async () => {
    let calls = 0
    const bag = new Bag()
    bag.set(
      'remote',
      new CallbackResolver(
        async () => {
          calls++
          return new Bag({ inner: 'v' })
        },
        { cacheTime: 60 },
      ),
    )
    expect(bag.get('remote')).toBeUndefined()
    expect(calls).toBe(0)
    expect(await bag.getAsync('remote.inner')).toBe('v')
    expect(calls).toBe(1)
    expect(bag.get('remote.inner')).toBe('v')
  })

  it('writing a value on a resolver node needs resolver: false', () => {
    const bag = new Bag()
    bag.set('r', new CallbackResolver(() => 1))
    expect(() => bag.set('r', 2)).toThrow(BagError)
    bag.set('r', 2, null, { resolver: false })
    expect(bag.get('r')).toBe(2)
    expect(bag.getNode('r')?.resolver).toBeNull()
  })

  it('a UUID resolver produces one UUID and keeps it', () => {
    const bag = new Bag()
    bag.set('id', new UuidResolver())
    const id = bag.get('id')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(bag.get('id')).toBe(id)
  })

  it('resolvers compare equal by class and parameters, and serializers store only the cached value', () => {
    const fn = (): number => 1
    const a = new Bag()
    a.set('r', new CallbackResolver(fn, { k: 1 }))
    const b = new Bag()
    b.set('r', new CallbackResolver(fn, { k: 1 }))
    expect(a.equals(b)).toBe(true)
    const back = Bag.fromTytx(a.toTytx({ transport: 'msgpack' }))
    expect(back.get('r')).toBeNull()
  })
})

describe('resolver state', () => {
  it('expired, isAsync and params describe the resolver', () => {
    const sync = new CallbackResolver(() => 1, { cacheTime: 10, k: 'v' })
    expect(sync.isAsync).toBe(false)
    expect(sync.expired).toBe(true)
    expect(sync.params).toEqual({ k: 'v' })
    const bag = new Bag()
    bag.set('r', sync)
    bag.get('r')
    expect(sync.expired).toBe(false)
    expect(new CallbackResolver(async () => 1).isAsync).toBe(true)
    expect(new CallbackResolver(() => 1, { async: true }).isAsync).toBe(true)
  })
})

describe('resolvers producing Bags', () => {
  it('asBag turns produced objects and JSON text into Bags that paths traverse', () => {
    const bag = new Bag()
    bag.set('obj', new CallbackResolver(() => ({ a: { b: 1 } }), { asBag: true }))
    bag.set('json', new CallbackResolver(() => '{"x": 2}', { asBag: true }))
    bag.set('raw', new CallbackResolver(() => ({ a: 1 })))
    expect(bag.get('obj.a.b')).toBe(1)
    expect(bag.get('json.x')).toBe(2)
    expect(bag.get('raw')).toEqual({ a: 1 })
  })

  it('a cached Bag produced under a subscribed Bag is linked, so its changes bubble', () => {
    const bag = new Bag()
    bag.set(
      'lazy',
      new CallbackResolver(() => ({ k: 1 }), { asBag: true, cacheTime: Number.POSITIVE_INFINITY }),
    )
    const seen: string[] = []
    bag.subscribe('s', { any: (e) => void seen.push(`${e.event}:${e.pathlist.join('.')}`) })
    const produced = bag.get('lazy') as Bag
    produced.set('k', 2)
    expect(seen).toEqual(['upd_value:lazy.k'])
  })
})
