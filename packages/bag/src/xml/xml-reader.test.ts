import { describe, expect, it } from 'vitest'
import { Bag } from '../bag.js'
import { Decimal } from '../decimal.js'

describe('fromXml', () => {
  it('reads a fragment of several elements, and empty input as an empty Bag', () => {
    expect(Bag.fromXml('<a>1</a><b>2</b>').keys()).toEqual(['a', 'b'])
    expect(Bag.fromXml('').length).toBe(0)
    expect(Bag.fromXml('  \n ').length).toBe(0)
  })

  it('accepts a byte-order mark, an XML declaration and a DOCTYPE without entities', () => {
    expect(Bag.fromXml('\ufeff<a>1</a>').get('a')).toBe('1')
    expect(Bag.fromXml("<?xml version='1.0' encoding='UTF-8'?>\n<a>1</a><b/>").keys()).toEqual(['a', 'b'])
    expect(Bag.fromXml('<!DOCTYPE r><r><a>1</a></r>').get('r.a')).toBe('1')
    expect(Bag.fromXml(new TextEncoder().encode('<a>é</a>')).get('a')).toBe('é')
  })

  it('keeps the element name as xmlTag and reads _tag as a literal label', () => {
    const b = Bag.fromXml('<r><my_col _tag="my col">v</my_col><_0 _tag="0">z</_0></r>')
    const inner = b.get('r') as Bag
    expect(inner.keys()).toEqual(['my col', '0'])
    expect(inner.getNode(['my col'])?.xmlTag).toBe('my_col')
  })

  it('puts text mixed with children in a _ node', () => {
    const b = Bag.fromXml('<r>first<a>1</a>last</r>')
    expect((b.get('r') as Bag).keys()).toEqual(['_', 'a'])
    expect(b.get('r._')).toBe('last')
  })

  it('decodes legacy _T codes, including satchel BAG and JS, and keeps invalid values as markers', () => {
    const b = Bag.fromXml(
      '<GenRoBag><b _T="B">False</b><e _T="BAG"/><l _T="JS">[1,"1.5::N"]</l><n _T="N">1.20</n><x _T="L">zz</x></GenRoBag>',
    )
    expect(b.get('b')).toBe(false)
    expect(b.get('e')).toBeInstanceOf(Bag)
    expect(b.get('l')).toEqual([1, new Decimal('1.5')])
    expect((b.get('n') as Decimal).text).toBe('1.20')
    expect(b.get('x')).toBe('**INVALID::L**')
  })

  it('types attribute values from their text as the reference does', () => {
    const b = Bag.fromXml('<r a="42" b="true" c="null" d="x" e="5::L" f="[1]" g="012"/>')
    expect(b.getNode('r')?.attr).toEqual({ a: 42, b: true, d: 'x', e: 5, f: [1], g: '012' })
  })

  it('numbers duplicate sibling labels a, a_1, a_2 keeping the xmlTag', () => {
    const b = Bag.fromXml('<a>1</a><a>2</a><a>3</a>')
    expect(b.keys()).toEqual(['a', 'a_1', 'a_2'])
    expect(b.getNode('a_2')?.xmlTag).toBe('a')
  })
})
