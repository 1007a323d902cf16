// Issue 10 §5: generated hostile inputs to every Bag parser and to the stores' restore() → only
// typed errors (BagError / SessionError), none slower than one second; nesting bombs and oversized
// inputs are rejected by the limits.
import { Bag, BagError, DEFAULT_MAX_INPUT_BYTES } from '@satchel/bag'
import {
  DUMP_FORMAT,
  DUMP_VERSION,
  digestId,
  MemorySessionStore,
  mintSessionId,
  type SessionDump,
  SessionError,
  type SessionStore,
} from '@satchel/session-core'
import { RedisSessionStore } from '@satchel/session-redis'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bagArbitrary } from './fixtures/bag-content.js'
import { mutatedBytes, mutatedText } from './fixtures/mutations.js'
import { sharedRedis } from './fixtures/shared-redis.js'
import { SIZES } from './fixtures/sizes.js'

const RUNS = SIZES.parserInputs
const BUDGET_MS = 1000
const MiB = 1024 * 1024

type XmlBag = typeof Bag & {
  fromXml(text: string, opts?: { maxInputBytes?: number; maxDepth?: number }): Bag
}
type XmlWriter = Bag & { toXml(opts?: { typed?: boolean }): string }
/** `Bag.fromXml`, or a clear failure when the Bag build at hand has no XML reader. */
function fromXml(text: string, opts?: { maxInputBytes?: number }): Bag {
  const reader = (Bag as Partial<XmlBag>).fromXml
  if (typeof reader !== 'function') throw new Error('Bag.fromXml is missing from @satchel/bag')
  return reader.call(Bag, text, opts)
}

/** Runs `parse` and checks the outcome: a result, or a typed error. Returns the time it took. */
async function typedOnly(isTyped: (error: unknown) => boolean, parse: () => unknown): Promise<number> {
  const started = performance.now()
  try {
    await parse()
  } catch (error) {
    if (!isTyped(error)) throw new Error(`untyped failure: ${String(error)}`, { cause: error })
  }
  return performance.now() - started
}

/** Checks `parse` over RUNS generated inputs; returns the slowest time. */
async function fuzz<T>(
  inputs: fc.Arbitrary<T>,
  isTyped: (error: unknown) => boolean,
  parse: (input: T) => unknown,
  runs = RUNS,
) {
  let slowest = 0
  await fc.assert(
    fc.asyncProperty(inputs, async (input) => {
      const ms = await typedOnly(isTyped, () => parse(input))
      slowest = Math.max(slowest, ms)
      expect(ms).toBeLessThan(BUDGET_MS)
    }),
    { numRuns: runs },
  )
  return slowest
}

const bags = bagArbitrary(5, 6)
const tytxText = bags.map((bag) => bag.toTytx())
const tytxBytes = bags.map((bag) => bag.toTytx({ transport: 'msgpack' }))
const jsonText = bags.map((bag) => bag.toJson())
const FALLBACK_XML = '<GenRoBag><a _T="L">1</a><b x="y">text<c/></b></GenRoBag>'
const xmlText = bags.map((bag) => {
  try {
    return (bag as XmlWriter).toXml({ typed: true })
  } catch {
    return FALLBACK_XML // labels that are no XML names cannot be written
  }
})
const xmlTokens = fc
  .array(
    fc.constantFrom(
      '<a>',
      '</a>',
      '<b x="1">',
      '</b>',
      '<c/>',
      'text',
      '&amp;',
      '&#0;',
      '&#x110000;',
      '&undefined;',
      '<![CDATA[x]]>',
      '<?pi x?>',
      '<!-- c -->',
      '<!DOCTYPE a [<!ENTITY e "x">]>',
      '<GenRoBag>',
      '</GenRoBag>',
      ' _T="D"',
      '"',
      '=',
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''))

const isBagError = (error: unknown) => BagError.is(error)
const isSessionError = (error: unknown) => SessionError.is(error)

describe(`${RUNS} generated inputs to every Bag parser`, () => {
  it('Bag.fromTytx reads hostile TYTX JSON with only BagErrors, each within a second', async () => {
    const rows = fc.array(fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 6 }), { maxLength: 6 })
    const inputs = fc.oneof(
      mutatedText(tytxText),
      mutatedText(tytxText.map((text) => text.replace(/::JS$/, ''))),
      rows.map((r) => JSON.stringify({ rows: r })),
      rows.map((r) => `${JSON.stringify({ rows: r })}::JS`),
      fc.json(),
      fc.string(),
    )
    await fuzz(inputs, isBagError, (text) => Bag.fromTytx(text))
  })

  it('Bag.fromTytx reads hostile TYTX msgpack with only BagErrors, each within a second', async () => {
    const inputs = fc.oneof(mutatedBytes(tytxBytes), fc.uint8Array({ maxLength: 256 }))
    await fuzz(inputs, isBagError, (bytes) => Bag.fromTytx(bytes))
  })

  it('Bag.fromJson reads hostile JSON text with only BagErrors, each within a second', async () => {
    const inputs = fc.oneof(mutatedText(jsonText), fc.json(), fc.string())
    await fuzz(inputs, isBagError, (text) => Bag.fromJson(text))
  })

  it('Bag.fromJson reads hostile parsed values with only BagErrors, each within a second', async () => {
    const inputs = fc.oneof(
      fc.anything({
        withBigInt: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withObjectString: true,
        withSparseArray: true,
        withTypedArray: true,
        withBoxedValues: true,
      }),
      jsonText.map((text) => JSON.parse(text.replace(/::JS$/, '')) as unknown),
      fc.jsonValue(),
    )
    await fuzz(inputs, isBagError, (value) => Bag.fromJson(value))
    // Labels such as __proto__ stay data: nothing leaked onto Object.prototype.
    expect(Object.keys(Object.prototype)).toEqual([])
  })

  it('Bag.fromXml reads hostile XML with only BagErrors, each within a second', async () => {
    const inputs = fc.oneof(mutatedText(xmlText), xmlTokens, fc.string())
    await fuzz(inputs, isBagError, (text) => fromXml(text))
  })
})

/** Valid dumps of generated sessions, some expired. */
const dumps: fc.Arbitrary<SessionDump> = fc
  .array(
    fc.record({
      data: bags,
      avatar: bags,
      auth: fc.option(fc.record({ identity: fc.string({ minLength: 1 }), tags: fc.array(fc.string()) })),
      ageSeconds: fc.integer({ min: 0, max: 7200 }),
    }),
    { maxLength: 4 },
  )
  .map((entries) => {
    const now = Date.now()
    return {
      format: DUMP_FORMAT,
      version: DUMP_VERSION,
      sessions: entries.map(({ data, avatar, auth, ageSeconds }) => ({
        digest: digestId(mintSessionId()),
        meta: {
          createdAt: now - ageSeconds * 1000,
          lastAccess: now - ageSeconds * 1000,
          ttl: 3600,
          absoluteTtl: null,
        },
        auth,
        data: data.toTytx(),
        avatarData: avatar.toTytx(),
      })),
    }
  })
/** Dumps with one field of one entry replaced by anything, or mutated as JSON text. */
const hostileDumps: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything(),
  fc
    .tuple(dumps, fc.nat(), fc.constantFrom('digest', 'meta', 'auth', 'data', 'avatarData'), fc.anything())
    .filter(([dump]) => dump.sessions.length > 0)
    .map(([dump, at, field, value]) => {
      const entry = dump.sessions[at % dump.sessions.length] as unknown as Record<string, unknown>
      entry[field] = value
      return dump
    }),
  fc
    .tuple(dumps, fc.constantFrom('format', 'version', 'sessions'), fc.anything())
    .map(([dump, field, value]) => ({
      ...dump,
      [field]: value,
    })),
  mutatedText(dumps.map((dump) => JSON.stringify(dump))).map((text) => {
    try {
      return JSON.parse(text) as unknown
    } catch {
      return text
    }
  }),
)

describe('generated dumps to restore()', () => {
  const shared = sharedRedis('restore-fuzz')

  /** restore() either succeeds or throws a SessionError and stores nothing (all or nothing). */
  async function restoreChecked(store: SessionStore, dump: unknown): Promise<void> {
    const before = await store.count()
    try {
      await store.restore(dump as SessionDump)
    } catch (error) {
      expect(await store.count()).toBe(before)
      throw error
    }
  }

  it(`MemorySessionStore.restore takes ${RUNS} hostile dumps with only SessionErrors, all or nothing, each within a second`, async () => {
    const store = new MemorySessionStore({ sweepInterval: 0 })
    await fuzz(hostileDumps, isSessionError, async (dump) => {
      await store.clear()
      await restoreChecked(store, dump)
    })
    await store.close()
  })

  it(`RedisSessionStore.restore takes ${Math.ceil(RUNS / 10)} hostile dumps with only SessionErrors, all or nothing, each within a second`, async () => {
    const store = new RedisSessionStore({ client: shared.client, prefix: shared.prefix })
    await fuzz(
      hostileDumps,
      isSessionError,
      async (dump) => {
        await store.clear()
        await restoreChecked(store, dump)
      },
      Math.ceil(RUNS / 10),
    )
  })
})

/** A dump of one fresh session whose data is the TYTX text `data`. */
function dumpOfData(data: string): SessionDump {
  const now = Date.now()
  return {
    format: DUMP_FORMAT,
    version: DUMP_VERSION,
    sessions: [
      {
        digest: digestId(mintSessionId()),
        meta: { createdAt: now, lastAccess: now, ttl: 3600, absoluteTtl: null },
        auth: null,
        data,
        avatarData: new Bag().toTytx(),
      },
    ],
  }
}

describe('nesting bombs and oversized inputs', () => {
  const DEEP = 100_000
  /** Expects `parse` to be refused with `code` within the budget. */
  function refused(parse: () => unknown, code: string): void {
    const started = performance.now()
    let caught: unknown
    try {
      parse()
    } catch (error) {
      caught = error
    }
    expect(performance.now() - started).toBeLessThan(BUDGET_MS)
    expect(BagError.is(caught) && caught.code).toBe(code)
  }

  it('refuses nesting bombs in every parser with DEPTH_LIMIT, within a second', () => {
    refused(() => Bag.fromJson('['.repeat(DEEP) + ']'.repeat(DEEP)), 'DEPTH_LIMIT')
    refused(() => Bag.fromJson(`${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`), 'DEPTH_LIMIT')
    refused(
      () => Bag.fromJson(`${'[{"label":"a","value":'.repeat(DEEP)}1${'}]'.repeat(DEEP)}`),
      'DEPTH_LIMIT',
    )
    refused(() => Bag.fromJson(JSON.parse('['.repeat(5000) + ']'.repeat(5000))), 'DEPTH_LIMIT')
    refused(
      () => Bag.fromTytx(`{"rows":[["","a",null,1,${'{"x":'.repeat(DEEP)}1${'}'.repeat(DEEP)}]]}`),
      'DEPTH_LIMIT',
    )
    refused(
      () => Bag.fromTytx(`{"rows":[["","a",null,${'['.repeat(DEEP)}${']'.repeat(DEEP)},{}]]}`),
      'DEPTH_LIMIT',
    )
    const rows = ['["","a",null,"::X",{}]']
    for (let depth = 1, path = 'a'; depth <= 600; depth++, path += '.a')
      rows.push(`["${path}","a",null,"::X",{}]`)
    refused(() => Bag.fromTytx(`{"rows":[${rows.join(',')}]}`), 'DEPTH_LIMIT')
    // msgpack {rows: [["", "a", nil, [[[[…]]]]]]}
    const head = Uint8Array.from([0x81, 0xa4, 0x72, 0x6f, 0x77, 0x73, 0x91, 0x94, 0xa0, 0xa1, 0x61, 0xc0])
    const bomb = new Uint8Array(head.length + DEEP + 1)
    bomb.set(head)
    bomb.fill(0x91, head.length, head.length + DEEP)
    bomb[bomb.length - 1] = 0xc0
    refused(() => Bag.fromTytx(bomb), 'DEPTH_LIMIT')
    refused(() => fromXml('<a>'.repeat(DEEP) + '</a>'.repeat(DEEP)), 'DEPTH_LIMIT')
  })

  it('refuses entity expansion (billion laughs) in XML with a BagError, within a second', () => {
    const laughs = [
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">',
      ...Array.from(
        { length: 9 },
        (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`,
      ),
      ']><lolz>&lol9;</lolz>',
    ].join('')
    const started = performance.now()
    let caught: unknown
    try {
      fromXml(laughs)
    } catch (error) {
      caught = error
    }
    expect(performance.now() - started).toBeLessThan(BUDGET_MS)
    expect(BagError.is(caught)).toBe(true)
  })

  it('refuses 50 MB inputs to every parser with SIZE_LIMIT under a 1 MiB maxInputBytes, without parsing them', () => {
    const text = `["${'a'.repeat(50 * MiB)}"]`
    const limits = { maxInputBytes: MiB }
    refused(() => Bag.fromJson(text, limits), 'SIZE_LIMIT')
    refused(() => Bag.fromTytx(text, limits), 'SIZE_LIMIT')
    refused(() => Bag.fromTytx(new Uint8Array(50 * MiB), limits), 'SIZE_LIMIT')
    refused(() => fromXml(`<a>${text}</a>`, limits), 'SIZE_LIMIT')
  })

  it('refuses valid 50 MB inputs to every parser with SIZE_LIMIT under the default limits, within a second', () => {
    expect(DEFAULT_MAX_INPUT_BYTES).toBeLessThan(50 * MiB)
    const big = 'a'.repeat(50 * MiB)
    const packed = new Bag()
    packed.set('a', big)
    const bytes = packed.toTytx({ transport: 'msgpack' })
    refused(() => Bag.fromJson(`["${big}"]`), 'SIZE_LIMIT')
    refused(() => Bag.fromTytx(`{"rows":[["","a",null,"${big}",{}]]}`), 'SIZE_LIMIT')
    refused(() => Bag.fromTytx(bytes), 'SIZE_LIMIT')
    refused(() => fromXml(`<a>${big}</a>`), 'SIZE_LIMIT')
  })

  it('refuses inputs one byte over the default maxInputBytes to every parser with SIZE_LIMIT', () => {
    const text = ' '.repeat(DEFAULT_MAX_INPUT_BYTES + 1)
    refused(() => Bag.fromJson(text), 'SIZE_LIMIT')
    refused(() => Bag.fromTytx(text), 'SIZE_LIMIT')
    refused(() => Bag.fromTytx(new Uint8Array(DEFAULT_MAX_INPUT_BYTES + 1)), 'SIZE_LIMIT')
    refused(() => fromXml(text), 'SIZE_LIMIT')
  })

  it('refuses a dump holding a 50 MB session with INVALID_DUMP, storing nothing', async () => {
    const store = new MemorySessionStore({ sweepInterval: 0 })
    const error = await store
      .restore(dumpOfData(`{"rows":[["","a",null,"${'a'.repeat(50 * MiB)}",{}]]}`))
      .then(
        () => undefined,
        (caught: unknown) => caught,
      )
    expect(SessionError.is(error) && error.code).toBe('INVALID_DUMP')
    expect(await store.count()).toBe(0)
  })

  it('refuses a dump whose session data is a nesting bomb with INVALID_DUMP, storing nothing', async () => {
    const store = new MemorySessionStore({ sweepInterval: 0 })
    const dump = dumpOfData(`{"rows":[["","a",null,${'['.repeat(DEEP)}${']'.repeat(DEEP)},{}]]}`)
    const error = await store.restore(dump).catch((caught: unknown) => caught)
    expect(SessionError.is(error) && error.code).toBe('INVALID_DUMP')
    expect(BagError.is((error as Error).cause) && ((error as Error).cause as BagError).code).toBe(
      'DEPTH_LIMIT',
    )
    expect(await store.count()).toBe(0)
  })
})
