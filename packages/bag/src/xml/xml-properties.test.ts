import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Bag } from '../bag.js'
import { Decimal } from '../decimal.js'
import { PlainDate } from '../plain-date.js'
import { PlainTime } from '../plain-time.js'

// ---------------------------------------------------------------- arbitraries

/** Text XML 1.0 can carry (no C0 controls except tab/newline/CR, no U+FFFE/U+FFFF). */
const xmlText = fc.string({ unit: 'grapheme', maxLength: 12 }).filter(
  (s) =>
    ![...s].some((ch) => {
      const c = ch.codePointAt(0) as number
      return (c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffe || c === 0xffff
    }),
)
const anyText = fc.oneof(
  xmlText,
  fc.constantFrom('', '\n', '\nx\n', 'a\r\nb', '&amp;', '<b>&lt;', '42', '7::L', 'x::T', 'null', ' '),
)

const decimal = fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.nat(8)).map(([n, scale]) => {
  const s = (n < 0n ? -n : n).toString().padStart(scale + 1, '0')
  const text = scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`
  return new Decimal(n < 0n ? `-${text}` : text)
})
const plainDate = fc
  .record({
    y: fc.integer({ min: 1, max: 9999 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(
    ({ y, m, d }) =>
      new PlainDate(
        `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`,
      ),
  )
const plainTime = fc
  .record({ h: fc.nat(23), m: fc.nat(59), s: fc.nat(59), us: fc.nat(999_999) })
  .map(
    ({ h, m, s, us }) =>
      new PlainTime(
        `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(us).padStart(6, '0')}`,
      ),
  )
const instant = fc.integer({ min: -62_135_596_800_000, max: 253_402_300_799_000 }).map((ms) => new Date(ms))
const bigInt = fc.oneof(
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 63n - 1n }),
  fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) }),
)
const scalar = fc.oneof(
  anyText,
  fc.double(),
  fc.integer(),
  fc.maxSafeInteger(),
  bigInt,
  fc.boolean(),
  fc.constant(null),
  decimal,
  plainDate,
  plainTime,
  instant,
)
const attrName = fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/).filter((n) => !n.startsWith('xml'))
const attrValue = fc.oneof(
  scalar.filter((v) => v !== null),
  fc.array(scalar, { maxLength: 3 }),
)
const attrs = fc.dictionary(attrName, attrValue, { maxKeys: 3 })
const label = fc.oneof(
  xmlText,
  fc.stringMatching(/^[a-z][a-z0-9]{0,4}$/),
  fc.constantFrom('0', '12', 'a.b', 'user\\.name', 'my col', '__proto__', 'x::T', '7::L', 'null', 'true'),
)

interface Spec {
  label: string
  value: unknown
  attrs: Record<string, unknown>
}
const { tree } = fc.letrec<{ tree: Spec[]; value: unknown }>((tie) => ({
  tree: fc.uniqueArray(fc.record({ label, value: tie('value'), attrs }), {
    maxLength: 4,
    selector: (s) => s.label,
  }),
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(scalar, { maxLength: 3 }),
    tie('tree'),
  ),
}))

function build(specs: readonly Spec[]): Bag {
  const bag = new Bag()
  for (const s of specs) bag.set([s.label], isSpecArray(s.value) ? build(s.value) : s.value, s.attrs)
  return bag
}
function isSpecArray(v: unknown): v is Spec[] {
  return (
    Array.isArray(v) && v.every((x) => typeof x === 'object' && x !== null && 'label' in x && 'attrs' in x)
  )
}

// ---------------------------------------------------------------- typed XML is lossless

describe('typed XML (<GenRoBag> with _T codes)', () => {
  it('reads back every random Bag unchanged', () => {
    fc.assert(
      fc.property(tree, fc.boolean(), (specs, pretty) => {
        const bag = build(specs)
        const xml = bag.toXml({ typed: true, pretty })
        const back = Bag.fromXml(xml)
        expect(back.equals(bag), xml).toBe(true)
      }),
      { numRuns: 300 },
    )
  }, 60_000)
})

// ---------------------------------------------------------------- plain XML loses what SPEC §12 says

const plainLabel = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/)
const plainText = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.constantFrom(
    '\nlead',
    'trail\n',
    '\n',
    'a\r\nb',
    'a\rb',
    '&amp;',
    'x &lt; y',
    '&gt;&amp;lt;',
    '  pad  ',
  ),
)
const plainScalar = fc.oneof(plainText, fc.maxSafeInteger(), fc.boolean(), fc.constant(null))
const plainAttr = fc.oneof(fc.stringMatching(/^[a-z ]{0,8}$/), fc.maxSafeInteger(), fc.boolean())
interface PlainSpec {
  label: string
  value: unknown
  attrs: Record<string, unknown>
}
const { ptree } = fc.letrec<{ ptree: PlainSpec[]; pvalue: unknown }>((tie) => ({
  ptree: fc.uniqueArray(
    fc.record({
      label: plainLabel,
      value: tie('pvalue'),
      attrs: fc.dictionary(attrName, plainAttr, { maxKeys: 3 }),
    }),
    {
      maxLength: 4,
      selector: (s) => s.label,
    },
  ),
  pvalue: fc.oneof({ depthSize: 'small' }, plainScalar, tie('ptree')),
}))

function buildPlain(specs: readonly PlainSpec[]): Bag {
  const bag = new Bag()
  for (const s of specs)
    bag.set([s.label], Array.isArray(s.value) ? buildPlain(s.value as PlainSpec[]) : s.value, s.attrs)
  return bag
}

/** SPEC §12 / §12.1: what a plain XML round trip gives back, written independently of the codec. */
function expectedPlain(specs: readonly PlainSpec[]): Bag {
  const bag = new Bag()
  for (const s of specs) {
    let value: unknown
    if (Array.isArray(s.value)) value = s.value.length === 0 ? '' : expectedPlain(s.value as PlainSpec[])
    else if (s.value === null)
      value = '' // null → ""
    else if (typeof s.value === 'boolean')
      value = s.value ? 'True' : 'False' // bool → Python text
    else if (typeof s.value === 'number')
      value = String(s.value) // int → string
    else {
      // end-of-line normalization, one leading and one trailing newline dropped, entity-like
      // text un-escaped once more (the reference reader's extra saxutils.unescape)
      let t = (s.value as string).replaceAll('\r\n', '\n').replaceAll('\r', '\n')
      if (t.startsWith('\n')) t = t.slice(1)
      if (t.endsWith('\n')) t = t.slice(0, -1)
      value = t.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&amp;', '&')
    }
    const attrs: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(s.attrs)) {
      if (typeof v === 'boolean')
        attrs[k] = v ? 'True' : 'False' // bool attribute → "True"/"False"
      else if (typeof v === 'number')
        attrs[k] = v // int attribute re-typed from JSON text
      else if (v === 'true' || v === 'false')
        attrs[k] = v === 'true' // JSON literal re-typed
      else if (v === 'null')
        attrs[k] = null // dropped
      else attrs[k] = v
    }
    bag.set([s.label], value, attrs)
  }
  return bag
}

describe('plain XML', () => {
  it('loses exactly what SPEC §12 documents', () => {
    fc.assert(
      fc.property(ptree, (specs) => {
        const xml = buildPlain(specs).toXml()
        expect(Bag.fromXml(xml).equals(expectedPlain(specs)), xml).toBe(true)
      }),
      { numRuns: 300 },
    )
  }, 60_000)

  it('keeps labels the reference cannot read back: digit strings and real dots', () => {
    const bag = new Bag()
    bag.set(['0'], 'zero')
    bag.set(['a.b'], 'dotted')
    bag.set('rows.12.name', 'r')
    bag.set(['x::T'], 'suffix')
    expect(Bag.fromXml(bag.toXml()).equals(bag)).toBe(true)
    // the typed form protects labels the reference would re-type: Genropy tools read "0" too
    expect(bag.toXml({ typed: true })).toContain('<_0 _tag="0::T">zero</_0>')
    expect(Bag.fromXml(bag.toXml({ typed: true })).equals(bag)).toBe(true)
  })
})
