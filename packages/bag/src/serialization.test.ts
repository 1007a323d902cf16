import { describe, expect, it } from 'vitest'
import { codeOf } from './__fixtures__/code-of.js'
import { Bag } from './bag.js'
import { Decimal } from './decimal.js'
import { PlainDate } from './plain-date.js'
import { PlainTime } from './plain-time.js'

function sample(): Bag {
  const bag = new Bag()
  bag.set('user.name', 'Ada', { role: 'admin', since: new PlainDate('2020-01-02') })
  bag.set('user.balance', new Decimal('19.990'))
  bag.set('user.seen', new Date('2025-06-15T14:30:45.123Z'))
  bag.set('user.alarm', new PlainTime('07:30:00.000250'))
  bag.set('user.big', 2n ** 60n)
  bag.set('user.tags', ['a', 1, null, { k: new Decimal('1.5') }])
  bag.set('empty', new Bag())
  bag.set('nothing', null)
  bag.set('flag', true, null, { tag: 'bool' })
  return bag
}

describe('serialization', () => {
  it('TYTX msgpack returns bytes that read back to an equal Bag', () => {
    const bag = sample()
    const bytes = bag.toTytx({ transport: 'msgpack' })
    expect(bytes).toBeInstanceOf(Uint8Array)
    const back = Bag.fromTytx(bytes)
    expect(back.equals(bag)).toBe(true)
    expect(back.getNode('flag')?.tag).toBe('bool')
  })

  it('TYTX JSON returns text ending with ::JS when typed values occur, and reads back equal', () => {
    const bag = sample()
    const text = bag.toTytx()
    expect(typeof text).toBe('string')
    expect(text.endsWith('::JS')).toBe(true)
    expect(Bag.fromTytx(text).equals(bag)).toBe(true)
    expect(Bag.fromTytx(bag.toTytx({ compact: true })).equals(bag)).toBe(true)
    expect(Bag.fromTytx(bag.toTytx({ file: true })).equals(bag)).toBe(true)
  })

  it('bytes survive msgpack and are refused by TYTX JSON', () => {
    const bag = new Bag({ blob: new Uint8Array([0, 1, 254, 255]) })
    expect(Bag.fromTytx(bag.toTytx({ transport: 'msgpack' })).equals(bag)).toBe(true)
    expect(codeOf(() => bag.toTytx())).toBe('NOT_SERIALIZABLE')
  })

  it('functions and class instances are NOT_SERIALIZABLE in every format', () => {
    class Thing {
      x = 1
    }
    for (const v of [() => 1, new Thing(), new Map(), Symbol('s')]) {
      const bag = new Bag()
      bag.set('v', v)
      expect(codeOf(() => bag.toTytx())).toBe('NOT_SERIALIZABLE')
      expect(codeOf(() => bag.toTytx({ transport: 'msgpack' }))).toBe('NOT_SERIALIZABLE')
      expect(codeOf(() => bag.toJson())).toBe('NOT_SERIALIZABLE')
      const inAttr = new Bag()
      inAttr.set('v', 1, { bad: v })
      expect(codeOf(() => inAttr.toTytx({ transport: 'msgpack' }))).toBe('NOT_SERIALIZABLE')
    }
  })

  it('typed JSON reads back equal for scalar trees and untyped JSON refuses typed scalars', () => {
    const bag = new Bag()
    bag.set('a.b', new Decimal('1.10'), { d: new PlainDate('2025-01-01') })
    bag.set('a.c', 'x::L')
    expect(Bag.fromJson(bag.toJson()).equals(bag)).toBe(true)
    expect(codeOf(() => bag.toJson({ typed: false }))).toBe('NOT_SERIALIZABLE')
  })

  it('fromJson of malformed text throws PARSE_ERROR', () => {
    expect(codeOf(() => Bag.fromJson('{"a":'))).toBe('PARSE_ERROR')
    expect(codeOf(() => Bag.fromTytx('{"rows":[["",1]]}'))).toBe('PARSE_ERROR')
    expect(codeOf(() => Bag.fromTytx(new Uint8Array([0xc1])))).toBe('PARSE_ERROR')
  })

  it('parsers enforce maxDepth and maxInputBytes', () => {
    let bag = new Bag()
    const root = bag
    for (let i = 0; i < 20; i++) {
      const child = new Bag()
      bag.set('n', child)
      bag = child
    }
    const text = root.toTytx()
    expect(codeOf(() => Bag.fromTytx(text, { maxDepth: 10 }))).toBe('DEPTH_LIMIT')
    expect(codeOf(() => root.toTytx({ maxDepth: 10 }))).toBe('DEPTH_LIMIT')
    expect(codeOf(() => Bag.fromTytx(text, { maxInputBytes: 10 }))).toBe('SIZE_LIMIT')
    expect(codeOf(() => Bag.fromJson(root.toJson(), { maxInputBytes: 10 }))).toBe('SIZE_LIMIT')
  })

  it('hostile deeply nested input throws a BagError instead of overflowing the stack', () => {
    const deep = `{"rows":[["","a",null,${'['.repeat(100_000)}${']'.repeat(100_000)},{}]]}`
    expect(codeOf(() => Bag.fromTytx(deep))).toBe('DEPTH_LIMIT')
    expect(codeOf(() => Bag.fromJson('['.repeat(100_000) + ']'.repeat(100_000)))).toBe('DEPTH_LIMIT')
    // msgpack: {rows: [["", "a", nil, [[[…]]], {}]]} nested 100 000 arrays deep
    const head = [0x81, 0xa4, 0x72, 0x6f, 0x77, 0x73, 0x91, 0x95, 0xa0, 0xa1, 0x61, 0xc0]
    const deepBytes = new Uint8Array([...head, ...new Array<number>(100_000).fill(0x91), 0xc0, 0x80])
    expect(codeOf(() => Bag.fromTytx(deepBytes))).toBe('DEPTH_LIMIT')
  })

  it('__proto__ labels and attribute names survive every format as data', () => {
    const bag = new Bag()
    bag.set(['__proto__'], 1, { __proto__x: 1, constructor: 2 })
    bag.getNode(['__proto__'])?.setAttr({ ['__proto__']: 'p' })
    for (const back of [
      Bag.fromTytx(bag.toTytx()),
      Bag.fromTytx(bag.toTytx({ transport: 'msgpack' })),
      Bag.fromJson(bag.toJson()),
    ]) {
      expect(back.equals(bag)).toBe(true)
      expect(back.getAttr(['__proto__'], '__proto__')).toBe('p')
    }
  })
})

describe('msgpack output buffers', () => {
  it('each encoding owns its memory (no view into a shared buffer)', () => {
    const a = new Bag({ x: 1 }).toTytx({ transport: 'msgpack' })
    new Bag({ y: 'later' }).toTytx({ transport: 'msgpack' })
    expect(a.byteOffset).toBe(0)
    expect(a.buffer.byteLength).toBe(a.byteLength)
    expect(Bag.fromTytx(a).get('x')).toBe(1)
  })
})
