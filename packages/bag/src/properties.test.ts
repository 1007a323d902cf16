import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { Bag } from './bag.js'
import { Decimal } from './decimal.js'
import { BagError } from './errors.js'
import { PlainDate } from './plain-date.js'
import { PlainTime } from './plain-time.js'

type Flavor = 'msgpack' | 'tytxJson' | 'typedJson' | 'plainJson'

interface GenNode {
  label: string
  value: unknown
  attrs: Record<string, unknown>
}

const specialLabels = [
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'user\\.name',
  'a\\.b\\.c',
  'é日本🙂',
  'toString',
]
const label = fc.oneof(
  fc.constantFrom(...specialLabels),
  fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 8 })
    .filter((s) => !s.includes('.') && !s.endsWith('\\')),
)

/** Generous per-test timeout: the shared CI machine can be slow. */
const SLOW = 60_000

const pad = (n: number, w: number): string => String(n).padStart(w, '0')
const decimal = fc
  .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 6 }))
  .map(([n, scale]) => {
    const s = (n < 0n ? -n : n).toString().padStart(scale + 1, '0')
    const body = scale === 0 ? s : `${s.slice(0, s.length - scale)}.${s.slice(s.length - scale)}`
    return new Decimal(`${n < 0n ? '-' : ''}${body}`)
  })
const plainDate = fc
  .record({
    y: fc.integer({ min: 1, max: 9999 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(({ y, m, d }) => new PlainDate(`${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`))
const plainTime = fc
  .record({
    h: fc.integer({ min: 0, max: 23 }),
    m: fc.integer({ min: 0, max: 59 }),
    s: fc.integer({ min: 0, max: 59 }),
    us: fc.integer({ min: 0, max: 999_999 }),
  })
  .map(({ h, m, s, us }) => new PlainTime(`${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}.${pad(us, 6)}`))
const instant = fc.integer({ min: Date.UTC(1, 0, 1), max: Date.UTC(9999, 11, 31) }).map((t) => new Date(t))
const bigint = fc.oneof(
  fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 53n) }),
  fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }),
)

function scalar(flavor: Flavor): fc.Arbitrary<unknown> {
  const common: fc.Arbitrary<unknown>[] = [
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: flavor !== 'msgpack', noDefaultInfinity: flavor !== 'msgpack' }),
    bigint,
    flavor === 'plainJson' ? fc.string().filter((s) => !s.includes('::')) : fc.string({ unit: 'grapheme' }),
  ]
  if (flavor === 'plainJson') return fc.oneof(...common)
  if (flavor !== 'msgpack')
    common.push(fc.constantFrom('42::L', '::X', '::NN', 'x::T', 'a=1::QS', '2025-01-01::D', 'abc::L'))
  common.push(decimal, plainDate, plainTime, instant)
  if (flavor === 'msgpack')
    common.push(fc.uint8Array({ maxLength: 16 }), fc.constantFrom('::X::T', 'plain::N'))
  return fc.oneof(...common)
}

function value(flavor: Flavor): fc.Arbitrary<unknown> {
  const s = scalar(flavor)
  if (flavor === 'typedJson' || flavor === 'plainJson') return s
  return fc.oneof(
    { weight: 5, arbitrary: s },
    { weight: 1, arbitrary: fc.array(s, { maxLength: 4 }) },
    { weight: 1, arbitrary: fc.dictionary(label, s, { maxKeys: 3 }) },
  )
}

function tree(flavor: Flavor): fc.Arbitrary<GenNode[]> {
  const attrs = fc.dictionary(label, scalar(flavor), { maxKeys: 3 })
  const { nodes } = fc.letrec<{ nodes: GenNode[]; node: GenNode }>((tie) => ({
    nodes: fc.array(tie('node'), { maxLength: 4 }),
    node: fc.record({
      label,
      value: fc.oneof({ depthSize: 'small', maxDepth: 20 }, value(flavor), tie('nodes')),
      attrs,
    }),
  }))
  return nodes
}

function build(nodes: GenNode[]): Bag {
  const bag = new Bag()
  const stack: [Bag, GenNode[]][] = [[bag, nodes]]
  while (stack.length > 0) {
    const [target, list] = stack.pop() as [Bag, GenNode[]]
    for (const n of list) {
      if (Array.isArray(n.value) && (n.value.length === 0 || isGenNode(n.value[0]))) {
        const child = new Bag()
        target.set([n.label], child, n.attrs)
        stack.push([child, n.value as GenNode[]])
      } else {
        target.set([n.label], n.value, n.attrs)
      }
    }
  }
  return bag
}

function isGenNode(v: unknown): v is GenNode {
  return typeof v === 'object' && v !== null && 'label' in v && 'attrs' in v && 'value' in v
}

const RUNS = { numRuns: 150 }

describe('round trips (fast-check)', () => {
  it(
    'random Bags round-trip through TYTX msgpack (normal and compact) to an equal Bag',
    () => {
      fc.assert(
        fc.property(tree('msgpack'), (nodes) => {
          const bag = build(nodes)
          expect(Bag.fromTytx(bag.toTytx({ transport: 'msgpack' })).equals(bag)).toBe(true)
          expect(Bag.fromTytx(bag.toTytx({ transport: 'msgpack', compact: true })).equals(bag)).toBe(true)
        }),
        RUNS,
      )
    },
    SLOW,
  )

  it(
    'random Bags round-trip through TYTX JSON (normal, compact and file form) to an equal Bag',
    () => {
      fc.assert(
        fc.property(tree('tytxJson'), (nodes) => {
          const bag = build(nodes)
          expect(Bag.fromTytx(bag.toTytx()).equals(bag)).toBe(true)
          expect(Bag.fromTytx(bag.toTytx({ compact: true })).equals(bag)).toBe(true)
          expect(Bag.fromTytx(bag.toTytx({ file: true })).equals(bag)).toBe(true)
        }),
        RUNS,
      )
    },
    SLOW,
  )

  it(
    'random Bags of scalars round-trip through typed JSON to an equal Bag',
    () => {
      fc.assert(
        fc.property(tree('typedJson'), (nodes) => {
          const bag = build(nodes)
          expect(Bag.fromJson(bag.toJson()).equals(bag)).toBe(true)
        }),
        RUNS,
      )
    },
    SLOW,
  )

  it(
    'random Bags of JSON-native values round-trip through untyped JSON to an equal Bag',
    () => {
      fc.assert(
        fc.property(tree('plainJson'), (nodes) => {
          const bag = build(nodes)
          expect(Bag.fromJson(bag.toJson({ typed: false })).equals(bag)).toBe(true)
        }),
        RUNS,
      )
    },
    SLOW,
  )

  it(
    'deepcopy of a random Bag is equal and independent',
    () => {
      fc.assert(
        fc.property(tree('msgpack'), (nodes) => {
          const bag = build(nodes)
          const copy = bag.deepcopy()
          expect(copy.equals(bag)).toBe(true)
          copy.set(['__added__'], 1)
          expect(copy.equals(bag)).toBe(false)
        }),
        { numRuns: 50 },
      )
    },
    SLOW,
  )
})

function onlyBagErrors(fn: () => unknown): void {
  try {
    fn()
  } catch (error) {
    if (!BagError.is(error))
      throw new Error(`parser threw a non-BagError: ${String(error)}`, { cause: error })
  }
}

function mutateText(text: string, edits: [number, string][]): string {
  let out = text
  for (const [pos, s] of edits) {
    const i = text.length === 0 ? 0 : pos % (out.length + 1)
    out = out.slice(0, i) + s + out.slice(i + 1)
  }
  return out
}

describe('hostile input (fast-check)', () => {
  const sample = new Bag()
  sample.set('a.b', new Decimal('1.5'), { d: new PlainDate('2025-01-01'), n: 3 })
  sample.set('a.c', [1, 'x', { k: new Date(0) }])
  sample.set('t', new PlainTime('10:00:00'))
  const tytx = sample.toTytx()
  const compact = sample.toTytx({ compact: true })
  const json = sample.toJson()
  const packed = sample.toTytx({ transport: 'msgpack' })
  const packedCompact = sample.toTytx({ transport: 'msgpack', compact: true })

  it(
    'random text given to every text parser throws only BagError',
    () => {
      fc.assert(
        fc.property(
          fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'grapheme', maxLength: 60 })),
          (text) => {
            onlyBagErrors(() => Bag.fromTytx(text))
            onlyBagErrors(() => Bag.fromJson(text))
          },
        ),
        { numRuns: 150 },
      )
    },
    SLOW,
  )

  it(
    'random JSON values given to the parsers throw only BagError',
    () => {
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 6 }), (v) => {
          const text = JSON.stringify(v)
          onlyBagErrors(() => Bag.fromTytx(text))
          onlyBagErrors(() => Bag.fromTytx(`{"rows":${text}}`))
          onlyBagErrors(() => Bag.fromJson(text))
          onlyBagErrors(() => Bag.fromJson(v))
        }),
        { numRuns: 150 },
      )
    },
    SLOW,
  )

  it(
    'mutated TYTX JSON and JSON documents throw only BagError',
    () => {
      const edit = fc.array(
        fc.tuple(
          fc.nat(),
          fc.constantFrom(
            '',
            '"',
            '[',
            ']',
            '{',
            '}',
            ',',
            ':',
            '::L',
            '::X',
            '0',
            'null',
            '\\',
            '9'.repeat(20),
          ),
        ),
        {
          minLength: 1,
          maxLength: 4,
        },
      )
      fc.assert(
        fc.property(edit, (edits) => {
          onlyBagErrors(() => Bag.fromTytx(mutateText(tytx, edits)))
          onlyBagErrors(() => Bag.fromTytx(mutateText(compact, edits)))
          onlyBagErrors(() => Bag.fromJson(mutateText(json, edits)))
        }),
        { numRuns: 200 },
      )
    },
    SLOW,
  )

  it(
    'random and mutated msgpack bytes throw only BagError',
    () => {
      const flips = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 6,
      })
      fc.assert(
        fc.property(flips, fc.uint8Array({ maxLength: 64 }), (edits, random) => {
          for (const base of [packed, packedCompact]) {
            const bytes = base.slice()
            for (const [pos, b] of edits) bytes[pos % bytes.length] = b
            onlyBagErrors(() => Bag.fromTytx(bytes))
            onlyBagErrors(() => Bag.fromTytx(bytes.subarray(0, edits[0]?.[0] ?? 0 % bytes.length)))
          }
          onlyBagErrors(() => Bag.fromTytx(random))
        }),
        { numRuns: 200 },
      )
    },
    SLOW,
  )
})
