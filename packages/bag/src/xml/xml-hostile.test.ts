import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Bag } from '../bag.js'
import { BagError } from '../errors.js'

function errorOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  return undefined
}

function expectBagError(fn: () => unknown, code: string): void {
  const error = errorOf(fn)
  expect(BagError.is(error), `expected a BagError, got ${String(error)}`).toBe(true)
  expect((error as BagError).code).toBe(code)
}

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>`

const SEEDS = [
  '<r a="1" b="x::L"><x>1</x><x>2</x><y/></r>',
  '<GenRoBag><a _T="L">1</a><b _T="BAG"><c _T="D">2025-01-02</c></b><d _T="JS">[1,"2::L"]</d></GenRoBag>',
  '<a>&lt;&amp;&gt;<![CDATA[<b>]]>text<b _tag="0">v</b></a><c xmlns:x="u"><x:d/></c>',
  "<?xml version='1.0' encoding='UTF-8'?>\n<root><n k='v'>t</n></root>",
  '<!DOCTYPE r><r><!-- c --><?pi x?><s> mixed <t/> text </s></r>',
]
const NOISE = [
  '<',
  '>',
  '/',
  '&',
  ';',
  '"',
  "'",
  '=',
  '!',
  '[',
  ']',
  '?',
  ':',
  '_T',
  '_tag',
  '#',
  '\0',
  '\n',
  'é',
  '&#0;',
  '&#x110000;',
  ']]>',
]

describe('XML reader on hostile input', () => {
  it('rejects a billion-laughs document quickly with PARSE_ERROR', () => {
    const t0 = performance.now()
    expectBagError(() => Bag.fromXml(BILLION_LAUGHS), 'PARSE_ERROR')
    expect(performance.now() - t0).toBeLessThan(1000)
  })

  it('rejects external entities and external DTD subsets', () => {
    expectBagError(
      () => Bag.fromXml('<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>'),
      'PARSE_ERROR',
    )
    expectBagError(() => Bag.fromXml('<!DOCTYPE x SYSTEM "http://example.com/x.dtd"><x/>'), 'PARSE_ERROR')
    expectBagError(() => Bag.fromXml('<x>&undefined;</x>'), 'PARSE_ERROR')
  })

  it('rejects a 100k-deep document with DEPTH_LIMIT and no stack overflow', () => {
    const deep = `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`
    const t0 = performance.now()
    expectBagError(() => Bag.fromXml(deep), 'DEPTH_LIMIT')
    expect(performance.now() - t0).toBeLessThan(1000)
  })

  it('honours maxDepth and accepts input exactly at the limit', () => {
    const doc = (n: number) => `${'<a>'.repeat(n)}x${'</a>'.repeat(n)}`
    expect(Bag.fromXml(doc(10), { maxDepth: 10 }).length).toBe(1)
    expectBagError(() => Bag.fromXml(doc(11), { maxDepth: 10 }), 'DEPTH_LIMIT')
  })

  it('rejects input larger than maxInputBytes with SIZE_LIMIT, strings and bytes alike', () => {
    const text = `<r>${'é'.repeat(100)}</r>`
    expectBagError(() => Bag.fromXml(text, { maxInputBytes: 150 }), 'SIZE_LIMIT')
    expectBagError(() => Bag.fromXml(new TextEncoder().encode(text), { maxInputBytes: 150 }), 'SIZE_LIMIT')
    expect(Bag.fromXml(text, { maxInputBytes: 300 }).get('r')).toBe('é'.repeat(100))
  })

  it('reports malformed input, invalid UTF-8 and wrong input types as PARSE_ERROR', () => {
    for (const bad of ['<a>', '<a></b>', '<a x="1" x="2"/>', 'text', '<a/>junk', '<a>&#0;</a>']) {
      expectBagError(() => Bag.fromXml(bad), 'PARSE_ERROR')
    }
    expectBagError(
      () => Bag.fromXml(new Uint8Array([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e])),
      'PARSE_ERROR',
    )
    expectBagError(() => Bag.fromXml(42 as unknown as string), 'PARSE_ERROR')
    expectBagError(() => Bag.fromXml('<r a="x::L"/>'), 'PARSE_ERROR')
  })

  it('throws only BagError on mutated documents, each within 1 s', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.array(fc.tuple(fc.nat(), fc.nat(3), fc.constantFrom(...NOISE)), { minLength: 1, maxLength: 6 }),
        (seed, edits) => {
          let text = seed
          for (const [pos, op, noise] of edits) {
            const at = pos % (text.length + 1)
            if (op === 0) text = text.slice(0, at) + noise + text.slice(at)
            else if (op === 1) text = text.slice(0, at) + text.slice(at + 1)
            else if (op === 2) text = text.slice(0, at) + noise + text.slice(at + noise.length)
            else text = text.slice(0, at) + text.slice(at, at + 8).repeat(2) + text.slice(at + 8)
          }
          const t0 = performance.now()
          const error = errorOf(() => Bag.fromXml(text))
          expect(performance.now() - t0).toBeLessThan(1000)
          if (error !== undefined)
            expect(BagError.is(error), `${String(error)} for ${JSON.stringify(text)}`).toBe(true)
        },
      ),
      { numRuns: 300 },
    )
  }, 60_000)

  it('throws only BagError on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const error = errorOf(() => Bag.fromXml(`<r>${text}</r>`))
        if (error !== undefined) expect(BagError.is(error)).toBe(true)
        const error2 = errorOf(() => Bag.fromXml(text))
        if (error2 !== undefined) expect(BagError.is(error2)).toBe(true)
      }),
      { numRuns: 200 },
    )
  }, 60_000)
})

describe('XML writer limits', () => {
  it('refuses Bags nested deeper than maxDepth with DEPTH_LIMIT, iteratively', () => {
    const root = new Bag()
    let cur = root
    for (let i = 0; i < 600; i++) {
      const next = new Bag()
      cur.set('n', next)
      cur = next
    }
    cur.set('leaf', 1)
    expectBagError(() => root.toXml(), 'DEPTH_LIMIT')
    expect(root.toXml({ maxDepth: 1000 }).length).toBeGreaterThan(600 * 7)
  })

  it('refuses attribute names and characters XML cannot carry with NOT_SERIALIZABLE', () => {
    expectBagError(() => new Bag().set('a', 1, { 'bad name': 1 }).parentBag?.toXml(), 'NOT_SERIALIZABLE')
    const ctl = new Bag()
    ctl.set('a', 'x\u0001y')
    expectBagError(() => ctl.toXml(), 'NOT_SERIALIZABLE')
    const bytes = new Bag()
    bytes.set('b', new Uint8Array([1]))
    expectBagError(() => bytes.toXml({ typed: true }), 'NOT_SERIALIZABLE')
  })
})
