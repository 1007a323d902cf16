import { describe, expect, it } from 'vitest'
import { Bag } from '../bag.js'
import { Decimal } from '../decimal.js'
import { BagError } from '../errors.js'
import { PlainDate } from '../plain-date.js'

function code(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return BagError.is(error) ? error.code : 'not a BagError'
  }
  return undefined
}

describe('toXml options', () => {
  it('wraps the fragment in a root element that reads back as one node', () => {
    const b = new Bag({ a: 1, b: 'x' })
    expect(b.toXml({ root: 'doc' })).toBe('<doc><a>1</a><b>x</b></doc>')
    expect(new Bag().toXml({ root: 'doc' })).toBe('<doc></doc>')
    expect((Bag.fromXml(b.toXml({ root: 'doc' })).get('doc') as Bag).keys()).toEqual(['a', 'b'])
    expect(code(() => b.toXml({ root: 'not a name' }))).toBe('NOT_SERIALIZABLE')
  })

  it('prefixes the default or a custom document header', () => {
    const b = new Bag({ a: 1 })
    expect(b.toXml({ docHeader: true })).toBe("<?xml version='1.0' encoding='UTF-8'?>\n<a>1</a>")
    expect(b.toXml({ docHeader: '<?xml version="1.0"?>' })).toBe('<?xml version="1.0"?>\n<a>1</a>')
    expect(Bag.fromXml(b.toXml({ docHeader: true, root: 'r' })).get('r.a')).toBe('1')
  })

  it('self-closes only the listed tags when selfClosedTags is given', () => {
    const b = new Bag({ a: null, b: '', c: new Bag() })
    expect(b.toXml()).toBe('<a/><b/><c/>')
    expect(b.toXml({ selfClosedTags: ['b'] })).toBe('<a></a><b/><c></c>')
  })

  it('pretty-prints a single root like minidom, with a trailing newline', () => {
    const b = new Bag()
    b.set('r.x', 1)
    b.set('r.y', 'q"')
    expect(b.toXml({ pretty: true })).toBe('<r>\n  <x>1</x>\n  <y>q&quot;</y>\n</r>\n')
  })

  it('keeps a namespace prefix declared on the node or an ancestor', () => {
    const b = new Bag()
    b.set('r', new Bag(), { 'xmlns:x': 'http://x' })
    b.set('r.x:a', 1)
    b.set('y:b', 2)
    expect(b.toXml()).toBe('<r xmlns:x="http://x"><x:a>1</x:a></r><y_b _tag="y:b">2</y_b>')
  })

  it('sanitizes a prefixed tag again where its namespace is not declared', () => {
    const b = new Bag()
    b.set('r', new Bag(), { 'xmlns:x': 'http://x' })
    b.set('r.x:a', 1)
    b.set('s.x:a', 2)
    expect(b.toXml()).toBe('<r xmlns:x="http://x"><x:a>1</x:a></r><s><x_a _tag="x:a">2</x_a></s>')
  })

  it('writes records with the same labels and attribute names alike', () => {
    const b = new Bag()
    for (let i = 0; i < 3; i++) b.set(`r${i}`, new Bag({ 'a b': i, c: i + 0.5 }), { id: i, 'x y': 1 })
    expect(() => b.toXml()).toThrow(/attribute name "x y"/)
    const ok = new Bag()
    for (let i = 0; i < 2; i++) ok.set(`r${i}`, new Bag({ 'a b': i, c: i + 0.5 }), { id: i, k: `<${i}>` })
    expect(ok.toXml()).toBe(
      '<r0 id="0" k="&lt;0&gt;"><a_b _tag="a b">0</a_b><c>0.5</c></r0><r1 id="1" k="&lt;1&gt;"><a_b _tag="a b">1</a_b><c>1.5</c></r1>',
    )
  })

  it('writes a label holding a real dot with _tag so that it does not nest on reading', () => {
    const b = new Bag()
    b.set(['a.b'], 1)
    expect(b.toXml()).toBe('<a.b _tag="a.b">1</a.b>')
    expect(Bag.fromXml(b.toXml()).getNode(['a.b'])?.value).toBe('1')
  })

  it('refuses attribute names XML or the format cannot carry', () => {
    const bad = new Bag()
    bad.set('a', 1, { '1x': 1 })
    expect(code(() => bad.toXml())).toBe('NOT_SERIALIZABLE')
    const clash = new Bag()
    clash.set('my label', 1, { _tag: 'x' })
    expect(code(() => clash.toXml())).toBe('NOT_SERIALIZABLE')
    const reserved = new Bag()
    reserved.set('a', 1, { _T: 'L' })
    expect(code(() => reserved.toXml({ typed: true }))).toBe('NOT_SERIALIZABLE')
    expect(reserved.toXml()).toBe('<a _T="L">1</a>')
  })
})

describe('typed toXml', () => {
  it('writes <GenRoBag> with _T codes on non-string values and ::CODE on typed attributes', () => {
    const b = new Bag()
    b.set('n', 42, { price: new Decimal('1.50'), day: new PlainDate('2025-01-02'), s: '42', ok: true })
    b.set('f', 1.5)
    b.set('t', 'text')
    b.set('z', null)
    b.set('e', new Bag())
    b.set('l', ['a', 1])
    expect(b.toXml({ typed: true })).toBe(
      '<GenRoBag><n _T="L" price="1.50::N" day="2025-01-02::D" s="42::T" ok="true::B">42</n>' +
        '<f _T="R">1.5</f><t>text</t><z _T="NN"/><e _T="BAG"/><l _T="JS">["a",1]</l></GenRoBag>',
    )
  })

  it('keeps the label of a node written under its tag', () => {
    const b = new Bag()
    b.set('title', 'Hello', undefined, { tag: 'h1' })
    expect(b.toXml()).toBe('<h1>Hello</h1>')
    expect(b.toXml({ typed: true })).toBe('<GenRoBag><h1 _tag="title">Hello</h1></GenRoBag>')
    expect(Bag.fromXml(b.toXml({ typed: true })).get('title')).toBe('Hello')
  })
})
