import { Bag } from '@satchel/bag'
import { describe, expect, it } from 'vitest'
import { encodeBag } from './bag-codec.js'
import { HotRecords } from './memory-store-hot.js'
import { packRecord, recordMeta, unpackRecord, withLastAccess } from './memory-store-record.js'

const START = Date.parse('2025-01-01T00:00:00Z')

function record(value: number): string {
  const data = new Bag()
  data.set('value', value)
  data.set('padding', 'x'.repeat(40)) // past the small-scope size: unpacked as a slab view
  return packRecord({
    version: 3,
    meta: { createdAt: START, lastAccess: START, ttl: 60, absoluteTtl: null },
    authJson: JSON.stringify({ identity: 'ada' }),
    data: encodeBag(data),
    avatarData: null,
  })
}

describe('HotRecords', () => {
  it('caches a record on its second read, with bytes of its own', () => {
    const hot = new HotRecords(4)
    const packed = record(1)
    expect(hot.templatesFor('a', packed, unpackRecord(packed))).toBeUndefined()
    expect(hot.get('a', packed)).toBeUndefined()
    const templates = hot.templatesFor('a', packed, unpackRecord(packed))
    expect(templates?.data?.get('value')).toBe(1)
    const cached = hot.get('a', packed)!
    expect(cached).toMatchObject({ version: 3, auth: { identity: 'ada' }, deadline: START + 60_000 })
    expect(cached.data!.byteLength).toBe(cached.data!.buffer.byteLength)
  })

  it('follows a touched record and forgets deleted ones', () => {
    const hot = new HotRecords(4)
    const packed = record(1)
    hot.templatesFor('a', packed, unpackRecord(packed))
    hot.templatesFor('a', packed, unpackRecord(packed))
    const touched = withLastAccess(packed, START + 30_000)
    expect(hot.get('a', touched)).toMatchObject({ meta: recordMeta(touched), deadline: START + 90_000 })
    hot.delete('a')
    expect(hot.get('a', touched)).toBeUndefined()
  })

  it('keeps at most `limit` records, dropping the least recently read', () => {
    const hot = new HotRecords(2)
    const packed = record(1)
    for (const digest of ['a', 'b', 'c']) {
      hot.templatesFor(digest, packed, unpackRecord(packed))
      hot.templatesFor(digest, packed, unpackRecord(packed))
      if (digest === 'b') hot.get('a', packed) // a is now more recent than b
    }
    expect(hot.get('a', packed)).toBeDefined()
    expect(hot.get('b', packed)).toBeUndefined()
    expect(hot.get('c', packed)).toBeDefined()
  })

  it('gives a read record a second chance and drops the oldest once every record was read', () => {
    const hot = new HotRecords(3)
    const packed = record(1)
    const warm = (digest: string) => {
      hot.templatesFor(digest, packed, unpackRecord(packed))
      hot.templatesFor(digest, packed, unpackRecord(packed))
    }
    for (const digest of ['a', 'b', 'c']) warm(digest)
    hot.get('a', packed)
    warm('d') // over the limit: a was read, so b (oldest unread) goes
    expect(['a', 'b', 'c', 'd'].filter((d) => hot.get(d, packed) !== undefined)).toEqual(['a', 'c', 'd'])
    // the reads above flagged a, c and d: one sweep clears the flags and drops the first it met
    // again (c, now the oldest), never the record being added
    warm('e')
    expect(['a', 'c', 'd', 'e'].filter((d) => hot.get(d, packed) !== undefined)).toEqual(['a', 'd', 'e'])
  })
})
