import { describe, expect, it } from 'vitest'
import { codeOf } from './__fixtures__/code-of.js'
import { Bag } from './bag.js'

describe('paths', () => {
  it('set creates intermediate Bags and get reads the value back', () => {
    const bag = new Bag()
    bag.set('a.b.c', 1)
    expect(bag.get('a.b.c')).toBe(1)
    expect(bag.get('a.b')).toBeInstanceOf(Bag)
    expect((bag.get('a') as Bag).length).toBe(1)
  })

  it('a missing path returns undefined or the given default, and a stored null stays null', () => {
    const bag = new Bag({ n: null })
    expect(bag.get('missing')).toBeUndefined()
    expect(bag.get('missing.deeper', 'dflt')).toBe('dflt')
    expect(bag.get('n')).toBeNull()
    expect(bag.get('n', 'dflt')).toBeNull()
  })

  it('segments are trimmed and empty segments dropped', () => {
    const bag = new Bag()
    bag.set(' a . b ', 1)
    expect(bag.get('a..b')).toBe(1)
    expect(bag.get('a.b.')).toBe(1)
  })

  it('an escaped dot stays inside one label, backslash included', () => {
    const bag = new Bag()
    bag.set('user\\.name', 'ada')
    expect(bag.keys()).toEqual(['user\\.name'])
    expect(bag.get('user\\.name')).toBe('ada')
    expect(bag.get('user.name')).toBeUndefined()
  })

  it('#n reads by index, negative indexes count from the end', () => {
    const bag = new Bag({ a: 1, b: 2, c: 3 })
    expect(bag.get('#0')).toBe(1)
    expect(bag.get('#-1')).toBe(3)
    expect(bag.get('#-2')).toBe(2)
    expect(bag.get('#3')).toBeUndefined()
    expect(bag.getNode('#-1')?.label).toBe('c')
    expect(bag.has('#-1')).toBe(true)
  })

  it('#attr=value finds the first node whose attribute equals the text', () => {
    const bag = new Bag()
    bag.set('x', 1, { id: 'a' })
    bag.set('y', 2, { id: 'b' })
    bag.set('z', 3, { id: 2 })
    expect(bag.get('#id=b')).toBe(2)
    expect(bag.get('#id=2')).toBeUndefined()
  })

  it('#=value finds the first node whose value equals the text', () => {
    const bag = new Bag({ x: 'one', y: 'two' })
    expect(bag.getNode('#=two')?.label).toBe('y')
  })

  it('?attr reads an attribute and ?a&b several', () => {
    const bag = new Bag()
    bag.set('x', 1, { a: 1, b: 'two' })
    expect(bag.get('x?a')).toBe(1)
    expect(bag.get('x?b&a')).toEqual(['two', 1])
    expect(bag.get('x?missing')).toBeUndefined()
  })

  it('array paths use each element verbatim, so a label may contain a real dot', () => {
    const bag = new Bag()
    bag.set(['a.b', '#c'], 1)
    expect(bag.keys()).toEqual(['a.b'])
    expect(bag.get(['a.b', '#c'])).toBe(1)
  })

  it('../ and #parent navigate up in backref mode and miss without it', () => {
    const bag = new Bag()
    bag.set('a.b.c', 1)
    bag.set('a.x', 2)
    const b = bag.get('a.b') as Bag
    expect(b.get('../x')).toBeUndefined()
    bag.setBackref()
    expect(b.get('../x')).toBe(2)
    expect(b.get('#parent.x')).toBe(2)
    expect(b.get('../../a.x')).toBe(2)
    expect(b.getLocal('#parent')).toBe(bag.get('a'))
  })

  it('writing through an intermediate scalar replaces it with a Bag', () => {
    const bag = new Bag({ a: 5 })
    bag.set('a.b', 1)
    expect(bag.get('a.b')).toBe(1)
  })

  it('the last segment of a write can never start with #', () => {
    const bag = new Bag({ a: 1 })
    expect(codeOf(() => bag.set('#0', 2))).toBe('INVALID_PATH')
  })

  it('a missing intermediate #n on write is an error', () => {
    const bag = new Bag()
    expect(codeOf(() => bag.set('#3.x', 2))).toBe('INVALID_PATH')
  })

  it('an existing intermediate #n on write navigates into that node', () => {
    const bag = new Bag()
    bag.set('a.x', 1)
    bag.set('#0.y', 2)
    expect(bag.get('a.y')).toBe(2)
  })

  it('path?name on write sets one attribute and leaves the value alone', () => {
    const bag = new Bag({ a: 1 })
    bag.set('a?color', 'red')
    bag.set('new?color', 'blue')
    expect(bag.get('a')).toBe(1)
    expect(bag.get('a?color')).toBe('red')
    expect(bag.get('new')).toBeNull()
  })

  it('path?a&b on write needs an array of the same length', () => {
    const bag = new Bag({ a: 1 })
    bag.set('a?x&y', [1, 2])
    expect(bag.get('a?x&y')).toEqual([1, 2])
    expect(codeOf(() => bag.set('a?x&y', [1]))).toBe('INVALID_VALUE')
  })

  it('an empty path reads the Bag itself and cannot be written', () => {
    const bag = new Bag()
    expect(bag.get('')).toBe(bag)
    expect(codeOf(() => bag.set('', 1))).toBe('INVALID_PATH')
  })

  it('__proto__, constructor and hasOwnProperty are ordinary labels', () => {
    const bag = new Bag()
    bag.set('__proto__.constructor', 1)
    bag.set('hasOwnProperty', 2)
    expect(bag.get('__proto__.constructor')).toBe(1)
    expect(bag.keys()).toEqual(['__proto__', 'hasOwnProperty'])
    const dict = bag.asDict()
    expect(Object.keys(dict)).toEqual(['__proto__', 'hasOwnProperty'])
    expect(({} as Record<string, unknown>).constructor).toBe(Object)
  })
})
