import { describe, expect, it } from 'vitest'
import {
  bagFromNeutral,
  bagToNeutral,
  expectedNeutral,
  loadManifest,
  normalizeDoc,
  type Readback,
  type VectorCase,
} from './__fixtures__/vectors.js'
import { Bag } from './bag.js'
import { BagError } from './errors.js'
import { parseJsonText } from './json-text.js'
import { unpackDocument } from './msgpack-codec.js'
import { UuidResolver } from './resolver.js'

const manifest = loadManifest()

type Format =
  | 'json'
  | 'json_untyped'
  | 'tytx_json'
  | 'tytx_json_compact'
  | 'tytx_json_file'
  | 'tytx_msgpack'
  | 'tytx_msgpack_compact'

const FORMATS: Format[] = [
  'json',
  'json_untyped',
  'tytx_json',
  'tytx_json_compact',
  'tytx_json_file',
  'tytx_msgpack',
  'tytx_msgpack_compact',
]

/** Reference output of a case in one format (hex decoded for msgpack). */
function referenceOutput(c: VectorCase, f: Format): string | Uint8Array | { error: string } {
  const key =
    f === 'tytx_msgpack' ? 'tytx_msgpack_hex' : f === 'tytx_msgpack_compact' ? 'tytx_msgpack_compact_hex' : f
  const out = c.outputs[key]
  if (out === undefined) throw new Error(`case ${c.name} has no output ${key}`)
  if (typeof out !== 'string') return out
  return f.startsWith('tytx_msgpack') ? new Uint8Array(Buffer.from(out, 'hex')) : out
}

/** The reference read-back for a format (file form reads like tytx_json, msgpack compact like msgpack). */
function readbackFor(c: VectorCase, f: Format): Readback {
  const key = f === 'tytx_json_file' ? 'tytx_json' : f === 'tytx_msgpack_compact' ? 'tytx_msgpack' : f
  const rb = c.readback[key]
  if (rb === undefined) throw new Error(`case ${c.name} has no readback ${key}`)
  return rb
}

function decode(f: Format, data: string | Uint8Array): Bag {
  return f === 'json' || f === 'json_untyped' ? Bag.fromJson(data as string) : Bag.fromTytx(data)
}

function encode(f: Format, bag: Bag): string | Uint8Array {
  switch (f) {
    case 'json':
      return bag.toJson()
    case 'json_untyped':
      return bag.toJson({ typed: false })
    case 'tytx_json':
      return bag.toTytx()
    case 'tytx_json_compact':
      return bag.toTytx({ compact: true })
    case 'tytx_json_file':
      return bag.toTytx({ file: true })
    case 'tytx_msgpack':
      return bag.toTytx({ transport: 'msgpack' })
    case 'tytx_msgpack_compact':
      return bag.toTytx({ transport: 'msgpack', compact: true })
  }
}

/** Structure of an encoded output: the parsed document plus the `::JS` marker flag. */
function structure(data: string | Uint8Array): unknown {
  if (typeof data !== 'string') return normalizeDoc(unpackDocument(data))
  const marked = data.endsWith('::JS')
  return { marked, doc: normalizeDoc(parseJsonText(marked ? data.slice(0, -4) : data, 10_000)) }
}

/**
 * Where satchel deliberately writes something else than the reference (API.md "Where satchel
 * deliberately differs"); each has its own named test below.
 */
const ENCODE_DEVIATIONS = new Set([
  'escaped_dot_label:tytx_json',
  'escaped_dot_label:tytx_json_compact',
  'escaped_dot_label:tytx_json_file',
  'escaped_dot_label:tytx_msgpack',
  'escaped_dot_label:tytx_msgpack_compact',
  'tytx_lookalike_strings:json',
  'tytx_lookalike_strings:tytx_json',
  'tytx_lookalike_strings:tytx_json_compact',
  'tytx_lookalike_strings:tytx_json_file',
  'tytx_bad_lookalike:json',
  'tytx_bad_lookalike:tytx_json',
  'tytx_bad_lookalike:tytx_json_compact',
  'tytx_bad_lookalike:tytx_json_file',
  'non_finite_floats:json_untyped',
])
const DECODE_DEVIATIONS = new Set(['non_finite_floats:json_untyped'])

describe('interop vectors (vectors.json)', () => {
  it('the manifest lists cases and decode vectors', () => {
    expect(manifest.cases.length).toBeGreaterThan(20)
    expect(manifest.decode_vectors.length).toBeGreaterThan(5)
  })

  for (const c of manifest.cases) {
    describe(c.name, () => {
      for (const f of FORMATS) {
        const ref = referenceOutput(c, f)
        if (!DECODE_DEVIATIONS.has(`${c.name}:${f}`) && !(typeof ref === 'object' && 'error' in ref)) {
          it(`decoding the reference ${f} output gives the reference read-back`, () => {
            const rb = readbackFor(c, f)
            if (rb.tree === undefined) {
              expect(() => decode(f, ref as string | Uint8Array)).toThrow(BagError)
              return
            }
            expect(bagToNeutral(decode(f, ref as string | Uint8Array))).toEqual(expectedNeutral(rb.tree))
          })
        }
        if (ENCODE_DEVIATIONS.has(`${c.name}:${f}`)) continue
        it(`encoding the tree in ${f} matches the reference output structurally`, () => {
          const bag = bagFromNeutral(c.tree)
          if (typeof ref === 'object' && 'error' in ref) {
            expect(() => encode(f, bag)).toThrow(BagError)
            try {
              encode(f, bag)
            } catch (error) {
              expect((error as BagError).code).toBe('NOT_SERIALIZABLE')
            }
            return
          }
          expect(structure(encode(f, bag))).toEqual(structure(ref))
        })
      }
    })
  }
})

/**
 * msgpack bytes are stable: satchel's output is byte-identical to the reference except where JS
 * cannot hold the value the reference wrote (microseconds, `1.0` vs `1`, unsigned int64 form) or
 * where API.md deliberately differs (escaped-dot parents).
 */
const BYTE_DIFFERENCES = new Set(['dates_times', 'numbers_edge', 'escaped_dot_label'])

describe('msgpack bytes', () => {
  for (const c of manifest.cases) {
    if (BYTE_DIFFERENCES.has(c.name)) continue
    for (const f of ['tytx_msgpack', 'tytx_msgpack_compact'] as const) {
      const ref = referenceOutput(c, f)
      if (!(ref instanceof Uint8Array)) continue
      it(`${c.name}: ${f} output is byte-identical to the reference`, () => {
        expect(Buffer.from(encode(f, bagFromNeutral(c.tree)) as Uint8Array).toString('hex')).toBe(
          Buffer.from(ref).toString('hex'),
        )
      })
    }
  }
})

describe('TYTX JSON and typed JSON text', () => {
  for (const c of manifest.cases) {
    // numbers_edge: JS writes 1.0 as 1 and 1e20 as 1e+20 (same values, other text)
    if (c.name === 'numbers_edge') continue
    for (const f of ['json', 'tytx_json', 'tytx_json_compact', 'tytx_json_file'] as const) {
      const ref = referenceOutput(c, f)
      if (typeof ref !== 'string' || ENCODE_DEVIATIONS.has(`${c.name}:${f}`)) continue
      it(`${c.name}: ${f} output is text-identical to the reference`, () => {
        expect(encode(f, bagFromNeutral(c.tree))).toBe(ref)
      })
    }
  }
})

describe('decode vectors (non-XML)', () => {
  for (const v of manifest.decode_vectors.filter((x) => x.format !== 'xml')) {
    it(`${v.name}: ${v.description}`, () => {
      const run = (): Bag => {
        if (v.format === 'json') {
          const joiner = v.params.list_joiner
          return Bag.fromJson(v.input, typeof joiner === 'string' ? { listJoiner: joiner } : {})
        }
        if (v.format === 'tytx_json') return Bag.fromTytx(v.input)
        return Bag.fromTytx(new Uint8Array(Buffer.from(v.input, 'hex')))
      }
      if (v.result.tree === undefined) {
        expect(run).toThrow(BagError)
        return
      }
      expect(bagToNeutral(run())).toEqual(expectedNeutral(v.result.tree))
    })
  }
})

function caseNamed(name: string): VectorCase {
  const c = manifest.cases.find((x) => x.name === name)
  if (!c) throw new Error(`vector case ${name} is missing`)
  return c
}

describe('deliberate differences from the reference (API.md)', () => {
  it('escaped-dot labels keep their parent in TYTX output and read back equal in every TYTX form', () => {
    const c = caseNamed('escaped_dot_label')
    const bag = bagFromNeutral(c.tree)
    for (const f of [
      'tytx_json',
      'tytx_json_compact',
      'tytx_json_file',
      'tytx_msgpack',
      'tytx_msgpack_compact',
    ] as const) {
      const back = decode(f, encode(f, bag))
      expect(back.equals(bag)).toBe(true)
      expect(back.get('a.b\\.c')).toBe('nested escaped')
      // the reference's own output lands the nested label at the top
      expect(decode(f, referenceOutput(c, f) as string | Uint8Array).equals(bag)).toBe(false)
    }
  })

  it('strings that look typed are written with an explicit ::T suffix in TYTX JSON and typed JSON', () => {
    for (const name of ['tytx_lookalike_strings', 'tytx_bad_lookalike']) {
      const bag = bagFromNeutral(caseNamed(name).tree)
      for (const f of ['json', 'tytx_json', 'tytx_json_compact', 'tytx_json_file'] as const) {
        const out = encode(f, bag) as string
        if (name === 'tytx_lookalike_strings') expect(out).toContain('"42::L::T"')
        expect(decode(f, out).equals(bag)).toBe(true)
      }
    }
  })

  it('untyped JSON writes non-finite floats as null (the reference writes invalid JSON) and rejects the invalid text', () => {
    const c = caseNamed('non_finite_floats')
    const bag = bagFromNeutral(c.tree)
    const out = bag.toJson({ typed: false })
    expect(JSON.parse(out)).toEqual([
      { label: 'nan', value: null, attr: {} },
      { label: 'inf', value: null, attr: {} },
      { label: 'ninf', value: null, attr: {} },
    ])
    const ref = referenceOutput(c, 'json_untyped') as string
    expect(() => Bag.fromJson(ref)).toThrow(BagError)
  })

  it('a UUID resolver is written as the reference descriptor and rebuilt from it, unloaded (issue #7)', () => {
    const c = caseNamed('resolver_uuid')
    const bag = bagFromNeutral(c.tree)
    const back = Bag.fromJson(bag.toJson())
    const node = back.getNode('id')
    expect(node?.resolver).toBeInstanceOf(UuidResolver)
    expect(back.equals(bag)).toBe(true)
    // the stored UUID is the static value; the rebuilt resolver makes a new one on its first read
    expect(node?.staticValue).toBe('123e4567-e89b-42d3-a456-426614174000')
    const fresh = back.get('id')
    expect(fresh).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(fresh).not.toBe('123e4567-e89b-42d3-a456-426614174000')
    expect(back.get('id')).toBe(fresh)
  })
})
