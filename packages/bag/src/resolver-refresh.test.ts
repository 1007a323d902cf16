import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  Bag,
  BagError,
  type BagEvent,
  BagResolver,
  CallbackResolver,
  Decimal,
  type ResolverOptions,
  registerResolver,
  resolverFromDescriptor,
  UuidResolver,
  unregisterResolver,
} from './index.js'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return BagError.is(error) ? error.code : `not a BagError: ${String(error)}`
  }
  return undefined
}

function events(bag: Bag): string[] {
  const seen: string[] = []
  bag.subscribe('log', {
    any: (e: BagEvent) => {
      seen.push(`${e.event}:${e.pathlist.join('.')}`)
    },
  })
  return seen
}

describe('interval refresh (issue #7, SPEC §11.4)', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('reloads every interval seconds and writes through the node with an upd_value event', async () => {
    let n = 0
    const bag = new Bag()
    bag.set('tick', new CallbackResolver(() => ++n, { interval: 2 }))
    const seen = events(bag)
    expect(bag.get('tick')).toBe(1)
    // between ticks the cached value is read, the producer is not called
    expect(bag.get('tick')).toBe(1)
    await vi.advanceTimersByTimeAsync(1999)
    expect(n).toBe(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(n).toBe(2)
    expect(bag.get('tick', undefined, { static: true })).toBe(2)
    expect(seen).toEqual(['upd_value:tick'])
    await vi.advanceTimersByTimeAsync(4000)
    expect(bag.get('tick')).toBe(4)
    expect(seen).toHaveLength(3)
  })

  it('awaits an asynchronous producer and passes the merged parameters', async () => {
    const seenParams: unknown[] = []
    const bag = new Bag()
    bag.set(
      'rate',
      new CallbackResolver(
        async (p) => {
          seenParams.push(p.currency)
          return p.currency === 'EUR' ? 1.1 : 2
        },
        { interval: 1, currency: 'USD' },
      ),
      { currency: 'EUR' },
    )
    expect(bag.get('rate')).toBeUndefined()
    await vi.advanceTimersByTimeAsync(1000)
    expect(bag.get('rate')).toBe(1.1)
    expect(seenParams).toEqual(['EUR'])
  })

  it('fires no event when the reloaded value is unchanged', async () => {
    const bag = new Bag()
    bag.set('same', new CallbackResolver(() => 'x', { interval: 1 }))
    const seen = events(bag)
    await vi.advanceTimersByTimeAsync(3000)
    expect(bag.get('same', undefined, { static: true })).toBe('x')
    expect(seen).toEqual(['upd_value:same'])
  })

  it('stops when the node is removed, when the resolver is replaced, and on dispose', async () => {
    let a = 0
    let b = 0
    let c = 0
    const bag = new Bag()
    bag.set('a', new CallbackResolver(() => ++a, { interval: 1 }))
    bag.set('b', new CallbackResolver(() => ++b, { interval: 1 }))
    const rc = new CallbackResolver(() => ++c, { interval: 1 })
    bag.set('c', rc)
    await vi.advanceTimersByTimeAsync(1000)
    expect([a, b, c]).toEqual([1, 1, 1])
    bag.pop('a')
    bag.set('b', 'plain', null, { resolver: false })
    rc.dispose()
    await vi.advanceTimersByTimeAsync(5000)
    expect([a, b, c]).toEqual([1, 1, 1])
    expect(bag.get('b')).toBe('plain')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('keeps a failed reload in lastError and clears it on the next success', async () => {
    let fail = true
    const r = new CallbackResolver(
      () => {
        if (fail) throw new Error('backend down')
        return 'ok'
      },
      { interval: 1 },
    )
    const bag = new Bag()
    bag.set('v', r)
    await vi.advanceTimersByTimeAsync(1000)
    expect((r.lastError as Error).message).toBe('backend down')
    expect(bag.get('v', undefined, { static: true })).toBeNull()
    fail = false
    await vi.advanceTimersByTimeAsync(1000)
    expect(r.lastError).toBeUndefined()
    expect(bag.get('v')).toBe('ok')
  })

  it('rejects an interval that is not a positive number, and readOnly with interval or reactive', () => {
    for (const interval of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(codeOf(() => new CallbackResolver(() => 1, { interval }))).toBe('INVALID_VALUE')
    }
    expect(codeOf(() => new CallbackResolver(() => 1, { interval: 1, readOnly: true }))).toBe('INVALID_VALUE')
    expect(codeOf(() => new CallbackResolver(() => 1, { reactive: true, readOnly: true }))).toBe(
      'INVALID_VALUE',
    )
    // interval and reactive make the resolver store its values
    expect(new CallbackResolver(() => 1, { interval: 5 }).readOnly).toBe(false)
    expect(new CallbackResolver(() => 1, { reactive: true }).readOnly).toBe(false)
  })
})

describe('reactive refresh and invalidation by parameter attributes (issue #7, SPEC §11.3-11.4)', () => {
  it('a parameter attribute change invalidates a held cache, so the next read reloads', () => {
    let calls = 0
    const bag = new Bag()
    bag.set(
      'sum',
      new CallbackResolver(
        (p) => {
          calls++
          return (p.a as number) + 1
        },
        { cacheTime: Number.POSITIVE_INFINITY },
      ),
      { a: 1 },
    )
    expect(bag.get('sum')).toBe(2)
    expect(bag.get('sum')).toBe(2)
    expect(calls).toBe(1)
    bag.setAttr('sum', { a: 10 })
    expect(bag.get('sum', undefined, { static: true })).toBe(2)
    expect(bag.get('sum')).toBe(11)
    expect(calls).toBe(2)
    // an internal option name is not a parameter
    bag.setAttr('sum', { cacheTime: 5 })
    expect(bag.get('sum')).toBe(11)
    expect(calls).toBe(2)
  })

  it('reactive: several parameter changes in one tick cause a single reload written through the node', async () => {
    const loads: number[] = []
    const bag = new Bag()
    bag.set(
      'total',
      new CallbackResolver(
        (p) => {
          const v = (p.qty as number) * (p.price as number)
          loads.push(v)
          return v
        },
        { reactive: true },
      ),
      { qty: 1, price: 2 },
    )
    const seen = events(bag)
    const node = bag.getNode('total')
    node?.setAttr({ qty: 3 })
    node?.setAttr({ price: 5 })
    bag.setAttr('total', { qty: 4 })
    expect(loads).toEqual([])
    await Promise.resolve()
    await Promise.resolve()
    expect(loads).toEqual([20])
    expect(bag.get('total', undefined, { static: true })).toBe(20)
    expect(seen).toEqual(['upd_attrs:total', 'upd_attrs:total', 'upd_attrs:total', 'upd_value:total'])
  })

  it('a non-reactive resolver only invalidates: nothing loads until it is read', async () => {
    let calls = 0
    const bag = new Bag()
    bag.set('lazy', new CallbackResolver(() => ++calls, { cacheTime: 60 }), { k: 1 })
    bag.get('lazy')
    bag.setAttr('lazy', { k: 2 })
    await Promise.resolve()
    await Promise.resolve()
    expect(calls).toBe(1)
  })

  it('reset({ refresh: true }) reloads once per tick and refresh() resolves to the value', async () => {
    let n = 0
    const r = new CallbackResolver(() => ++n, { cacheTime: Number.POSITIVE_INFINITY })
    const bag = new Bag()
    bag.set('n', r)
    const seen = events(bag)
    expect(bag.get('n')).toBe(1)
    r.reset({ refresh: true })
    r.reset({ refresh: true })
    await expect(r.refresh()).resolves.toBe(2)
    expect(n).toBe(2)
    expect(bag.get('n')).toBe(2)
    expect(seen).toEqual(['upd_value:n'])
  })

  it('readOnly: false stores every produced value even without a cache time (as the reference)', () => {
    let n = 0
    const bag = new Bag()
    bag.set('v', new CallbackResolver(() => ++n, { readOnly: false }))
    expect(bag.get('v')).toBe(1)
    expect(bag.get('v')).toBe(2)
    expect(bag.get('v', undefined, { static: true })).toBe(2)
  })

  it('refresh on a read-only resolver is an INVALID_VALUE error', () => {
    const r = new CallbackResolver(() => 1)
    expect(r.readOnly).toBe(true)
    expect(codeOf(() => r.reset({ refresh: true }))).toBe('INVALID_VALUE')
    expect(codeOf(() => r.refresh())).toBe('INVALID_VALUE')
    // a plain reset stays allowed
    expect(codeOf(() => r.reset())).toBeUndefined()
  })
})

/** A resolver class of the application: its constructor takes the options object. */
class GreetingResolver extends BagResolver {
  constructor(opts?: ResolverOptions & Record<string, unknown>) {
    super({ cacheTime: Number.POSITIVE_INFINITY, ...opts })
  }

  protected produce(params: Record<string, unknown>): unknown {
    return `hello ${String(params.name)}`
  }
}

class UnregisteredGreeting extends GreetingResolver {}

describe('resolver descriptors in JSON (issue #7, SPEC §11.5, §12.2)', () => {
  beforeEach(() => {
    registerResolver(GreetingResolver, { module: 'app.resolvers' })
  })
  afterEach(() => {
    unregisterResolver('GreetingResolver')
  })

  it('UuidResolver writes the reference descriptor', () => {
    expect(new UuidResolver().toDescriptor()).toEqual({
      resolver_module: 'genro_bag.resolvers.uuid_resolver',
      resolver_class: 'UuidResolver',
      args: ['uuid4'],
      kwargs: { version: 'uuid4', cache_time: false, read_only: false },
    })
  })

  it('a registered class round-trips through typed JSON with typed parameters, and works after', () => {
    const bag = new Bag()
    bag.set('greet', new GreetingResolver({ name: 'Ada', limit: new Decimal('1.50') }), { lang: 'en' })
    const text = bag.toJson()
    const item = (JSON.parse(text.replace(/::JS$/, '')) as { resolver?: unknown }[])[0]
    expect(item?.resolver).toEqual({
      resolver_module: 'app.resolvers',
      resolver_class: 'GreetingResolver',
      args: [],
      kwargs: { name: 'Ada', limit: '1.50::N', cache_time: false, read_only: false },
    })
    const back = Bag.fromJson(text)
    const r = back.getResolver('greet')
    expect(r).toBeInstanceOf(GreetingResolver)
    expect(r?.params.limit).toEqual(new Decimal('1.50'))
    expect(r?.cacheTime).toBe(Number.POSITIVE_INFINITY)
    expect(back.equals(bag)).toBe(true)
    expect(back.get('greet')).toBe('hello Ada')
    expect(back.getAttr('greet', 'lang')).toBe('en')
  })

  it('interval and reactive survive the descriptor', () => {
    const r = resolverFromDescriptor(
      new GreetingResolver({ name: 'x', interval: 30, reactive: true }).toDescriptor(),
    )
    expect(r.interval).toBe(30)
    expect(r.reactive).toBe(true)
    expect(r.readOnly).toBe(false)
  })

  it('callback resolvers and unregistered classes are written without a descriptor', () => {
    const bag = new Bag()
    bag.set('cb', new CallbackResolver(() => 1))
    bag.set('sub', new UnregisteredGreeting({ name: 'x' }))
    for (const typed of [true, false]) {
      const out = JSON.parse(bag.toJson({ typed })) as { resolver?: unknown }[]
      expect(out.map((n) => n.resolver)).toEqual([undefined, undefined])
    }
  })

  it('an unknown or malformed descriptor is a PARSE_ERROR unless resolvers are ignored', () => {
    const unknown =
      '[{"label":"f","value":"x","attr":{},"resolver":{"resolver_module":"genro_bag.resolvers.file_resolver","resolver_class":"FileResolver","args":["/etc/passwd"],"kwargs":{}}}]'
    expect(codeOf(() => Bag.fromJson(unknown))).toBe('PARSE_ERROR')
    const skipped = Bag.fromJson(unknown, { ignoreResolvers: true })
    expect(skipped.get('f')).toBe('x')
    expect(skipped.getResolver('f')).toBeUndefined()
    for (const bad of [
      '"GreetingResolver"',
      '{"resolver_class":42}',
      '{"resolver_class":"GreetingResolver","args":{}}',
      '{"resolver_class":"GreetingResolver","kwargs":[]}',
      '{"resolver_class":"toString"}',
      '{"resolver_class":"__proto__"}',
    ]) {
      expect(codeOf(() => Bag.fromJson(`[{"label":"g","value":null,"resolver":${bad}}]`))).toBe('PARSE_ERROR')
    }
  })

  it('a descriptor whose options do not validate is a BagError', () => {
    const d = { resolver_class: 'GreetingResolver', args: [], kwargs: { cache_time: -1 } }
    expect(codeOf(() => resolverFromDescriptor(d))).toBe('INVALID_VALUE')
  })

  it('a __proto__ parameter in a descriptor stays data', () => {
    const r = resolverFromDescriptor(
      JSON.parse('{"resolver_class":"GreetingResolver","kwargs":{"__proto__":{"polluted":true},"name":"p"}}'),
    )
    expect(Object.hasOwn(r.params, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
