import { describe, expect, it } from 'vitest'
import { sharedClient } from './__fixtures__/shared-client.js'
import { createKeyLayout } from './key-layout.js'
import { DELETE_SCRIPT, INDEX_ADD_SCRIPT, READ_SCRIPT, SAVE_SCRIPT, SaveResult } from './lua-scripts.js'
import { adaptClient } from './redis-client-adapter.js'

const { prefix, client } = sharedClient('lua')
const keys = createKeyLayout(prefix)
const redis = adaptClient(client)
const signal = new AbortController().signal

const save = (digest: string, expected: number, value: string | Buffer, expireAt: number) =>
  redis.run(
    SAVE_SCRIPT,
    [keys.record(digest), keys.tombstone(digest)],
    [String(expected), value, String(expireAt), String(Date.now()), '0'],
    signal,
  )

describe('the save script', () => {
  it('inserts only when no record exists and then applies only on the stored version', async () => {
    const at = Date.now() + 60_000
    expect(await save('a', 0, '1:one', at)).toBe(SaveResult.saved)
    expect(await save('a', 0, '1:again', at)).toBe(SaveResult.conflict)
    expect(await save('a', 2, '3:wrong', at)).toBe(SaveResult.conflict)
    expect(await save('a', 1, '2:two', at)).toBe(SaveResult.saved)
    expect(await save('a', 1, '2:stale', at)).toBe(SaveResult.conflict)
    expect(await client.get(keys.record('a'))).toBe('2:two')
    expect(await client.pExpireTime(keys.record('a'))).toBe(at)
  })

  it('tells a missing record apart from a conflict and never writes over a tombstone', async () => {
    const at = Date.now() + 60_000
    expect(await save('b', 4, '5:x', at)).toBe(SaveResult.missing)
    expect(await save('c', 0, '1:c', at)).toBe(SaveResult.saved)
    const old = await redis.run(DELETE_SCRIPT, [keys.record('c'), keys.tombstone('c')], ['5000'], signal)
    expect(old).toEqual([Buffer.from('1:c'), at])
    expect(
      await redis.run(DELETE_SCRIPT, [keys.record('c'), keys.tombstone('c')], ['5000'], signal),
    ).toBeNull()
    expect(await save('c', 1, '2:late', at)).toBe(SaveResult.tombstoned)
    expect(await save('c', 0, '1:new', at)).toBe(SaveResult.tombstoned)
    expect(await client.exists(keys.record('c'))).toBe(0)
    expect(await client.pTTL(keys.tombstone('c'))).toBeGreaterThan(4000)
  })
})

describe('the read script', () => {
  it('returns the binary value with its absolute expiry, and nil for a missing record', async () => {
    const at = Date.now() + 30_000
    const bytes = Buffer.from([0x31, 0x3a, 0x00, 0xff, 0xc4, 0x01])
    expect(await save('d', 0, bytes, at)).toBe(SaveResult.saved)
    const reply = (await redis.run(READ_SCRIPT, [keys.record('d')], [], signal)) as [Buffer, number]
    expect(Buffer.compare(reply[0], bytes)).toBe(0)
    expect(reply[1]).toBe(at)
    expect(await redis.run(READ_SCRIPT, [keys.record('nothing')], [], signal)).toBeNull()
  })
})

describe('the index script', () => {
  it('keeps the index alive until its latest session ends and drops ended entries', async () => {
    const now = Date.now()
    const index = keys.identityIndex('alice@example.com')
    await redis.run(INDEX_ADD_SCRIPT, [index], ['old', String(now - 1), String(now)], signal)
    await redis.run(INDEX_ADD_SCRIPT, [index], ['s1', String(now + 20_000), String(now)], signal)
    await redis.run(INDEX_ADD_SCRIPT, [index], ['s2', String(now + 10_000), String(now)], signal)
    expect(await client.zRange(index, 0, -1)).toEqual(['s2', 's1'])
    expect(await client.pTTL(index)).toBeGreaterThan(15_000)
    await redis.run(INDEX_ADD_SCRIPT, [index], ['s3', '+inf', String(now)], signal)
    expect(await client.pTTL(index)).toBe(-1)
  })
})
