import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { metaExpired } from './dump-format.js'
import {
  packRecord,
  recordAuthJson,
  recordExpired,
  recordHasAuth,
  recordLastAccess,
  recordMeta,
  recordVersion,
  unpackRecord,
  withLastAccess,
} from './memory-store-record.js'
import type { RecordParts } from './record.js'
import { SessionError } from './session-error.js'

const START = Date.parse('2025-01-01T00:00:00Z')

function parts(overrides: Partial<RecordParts> = {}): RecordParts {
  return {
    version: 1,
    meta: { createdAt: START, lastAccess: START + 5000, ttl: 3600, absoluteTtl: null },
    authJson: 'null',
    data: null,
    avatarData: null,
    ...overrides,
  }
}

const allBytes = Uint8Array.from({ length: 256 }, (_, i) => i)

/** Every char of a packed record is one byte, so V8 keeps it as a one-byte string. */
function isOneByte(record: string): boolean {
  for (let i = 0; i < record.length; i++) if (record.charCodeAt(i) > 0xff) return false
  return true
}

describe('packed memory-store records', () => {
  it.each([
    ['an anonymous session without data', parts()],
    [
      'an absolute lifetime and fractional times',
      parts({ meta: { createdAt: START + 0.25, lastAccess: -1.5, ttl: 0.001, absoluteTtl: 86400.5 } }),
    ],
    ['latin1 auth text', parts({ authJson: JSON.stringify({ identity: 'José', tags: ['ü', '\u00ff'] }) })],
    [
      'auth text beyond latin1 (CJK, emoji, a lone surrogate)',
      parts({ authJson: JSON.stringify({ identity: '日本語👩‍💻', note: '\ud800' }) }),
    ],
    ['every byte value in both Bags', parts({ data: allBytes, avatarData: allBytes.slice().reverse() })],
    ['avatar data only', parts({ avatarData: Uint8Array.of(0x80, 0, 0xff) })],
    ['a large Bag (past the shared buffer)', parts({ data: new Uint8Array(5000).fill(0xc3) })],
    ['versions past 32 bits', parts({ version: Number.MAX_SAFE_INTEGER })],
  ])('round-trips %s', (_, original) => {
    const record = packRecord(original)
    expect(isOneByte(record)).toBe(true)
    const unpacked = unpackRecord(record)
    expect(unpacked).toEqual(original)
    expect(recordMeta(record)).toEqual(original.meta)
    expect(recordVersion(record)).toBe(original.version)
    expect(recordAuthJson(record)).toBe(original.authJson)
    expect(recordHasAuth(record)).toBe(original.authJson !== 'null')
  })

  it('hands out Bag bytes that later unpacks never overwrite', () => {
    const record = packRecord(
      parts({ data: Uint8Array.of(1, 2, 3), avatarData: new Uint8Array(100).fill(7) }),
    )
    const first = unpackRecord(record)
    // Enough other unpacks to fill several slabs, and a pack that reuses the packing buffer.
    const other = packRecord(
      parts({ data: new Uint8Array(1000).fill(9), avatarData: new Uint8Array(3000).fill(5) }),
    )
    for (let i = 0; i < 100; i++) unpackRecord(other)
    packRecord(parts({ data: new Uint8Array(20_000).fill(4) }))
    expect(first.data).toEqual(Uint8Array.of(1, 2, 3))
    expect(first.avatarData).toEqual(new Uint8Array(100).fill(7))
    expect(unpackRecord(other).avatarData).toEqual(new Uint8Array(3000).fill(5))
  })

  it('is small: an idle session with one counter packs into 45 bytes', () => {
    // flags, coarse deadline and meta (29) + version + length + the 14 bytes of a TYTX Bag holding n = 1
    const counter = Uint8Array.of(
      0x81,
      0xa4,
      0x72,
      0x6f,
      0x77,
      0x73,
      0x91,
      0x95,
      0xa0,
      0xa1,
      0x6e,
      0xc0,
      0x01,
      0x80,
    )
    expect(packRecord(parts({ version: 2, data: counter })).length).toBe(45)
  })

  it('refuses a record longer than the engine can make into a string with SESSION_TOO_LARGE', () => {
    // Only the length is read before the check: no need to allocate 512 MiB.
    const huge = { byteLength: 600 * 1024 * 1024 } as Uint8Array
    expect(() => packRecord(parts({ data: huge }))).toThrow(
      expect.objectContaining({ code: 'SESSION_TOO_LARGE' }) as Error,
    )
    expect(() => packRecord(parts({ data: huge }))).toThrow(SessionError)
  })

  it('withLastAccess() changes lastAccess and nothing else', () => {
    const original = parts({
      version: 300,
      meta: { createdAt: START, lastAccess: START, ttl: 60, absoluteTtl: 120 },
      authJson: JSON.stringify({ identity: 'ада' }),
      data: allBytes,
    })
    const record = withLastAccess(packRecord(original), START + 59_000)
    expect(recordLastAccess(record)).toBe(START + 59_000)
    expect(unpackRecord(record)).toEqual({
      ...original,
      meta: { ...original.meta, lastAccess: START + 59_000 },
    })
  })

  it('recordExpired() agrees with metaExpired() for any meta and clock', () => {
    const time = fc.double({ min: -1e13, max: 1e13, noNaN: true })
    const seconds = fc.double({ min: 1e-3, max: 1e9, noNaN: true })
    fc.assert(
      fc.property(
        time,
        time,
        seconds,
        fc.option(seconds, { nil: null }),
        time,
        (createdAt, lastAccess, ttl, absoluteTtl, now) => {
          const meta = { createdAt, lastAccess, ttl, absoluteTtl }
          expect(recordExpired(packRecord(parts({ meta })), now)).toBe(metaExpired(meta, now))
        },
      ),
    )
  })

  it('recordExpired() agrees with metaExpired() around the deadline, where the coarse deadline cannot decide', () => {
    const metas = [
      { createdAt: START + 0.3, lastAccess: START + 999.7, ttl: 1.0001, absoluteTtl: null },
      { createdAt: START, lastAccess: START + 10_000.5, ttl: 3600, absoluteTtl: 1.5 },
      { createdAt: 0.5, lastAccess: 0.5, ttl: 1.2, absoluteTtl: null },
      { createdAt: -5000, lastAccess: -5000, ttl: 2, absoluteTtl: 3 },
      { createdAt: 1e300, lastAccess: 1e300, ttl: 1e9, absoluteTtl: null },
      { createdAt: 4294967296 * 1000, lastAccess: 4294967296 * 1000, ttl: 10, absoluteTtl: null },
    ]
    for (const meta of metas) {
      const record = packRecord(parts({ meta }))
      const deadline = Math.min(
        meta.lastAccess + meta.ttl * 1000,
        meta.absoluteTtl === null ? Number.POSITIVE_INFINITY : meta.createdAt + meta.absoluteTtl * 1000,
      )
      for (const offset of [-2001, -1000.5, -1000, -999.999, -1, -0.001, 0, 0.001, 1, 2000]) {
        const now = deadline + offset
        expect(recordExpired(record, now), `${JSON.stringify(meta)} at deadline ${offset}`).toBe(
          metaExpired(meta, now),
        )
      }
    }
  })

  it('recordExpired() flips exactly at the idle and the absolute deadline', () => {
    const idle = packRecord(
      parts({ meta: { createdAt: START, lastAccess: START, ttl: 10, absoluteTtl: null } }),
    )
    expect(recordExpired(idle, START + 9_999)).toBe(false)
    expect(recordExpired(idle, START + 10_000)).toBe(true)
    const absolute = packRecord(
      parts({ meta: { createdAt: START, lastAccess: START + 50_000, ttl: 60, absoluteTtl: 60 } }),
    )
    expect(recordExpired(absolute, START + 59_999)).toBe(false)
    expect(recordExpired(absolute, START + 60_000)).toBe(true)
  })
})
