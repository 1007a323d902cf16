import { describe, expect, it } from 'vitest'
import { sharedClient } from './__fixtures__/shared-client.js'
import { createKeyLayout } from './key-layout.js'
import {
  DELETE_SCRIPT,
  INDEX_ADD_SCRIPT,
  PUT_SCRIPT,
  SAVE_SCRIPT,
  SaveResult,
  TOMBSTONE,
  TOUCH_SCRIPT,
} from './lua-scripts.js'
import { adaptClient } from './redis-client-adapter.js'

const { prefix, client } = sharedClient('lua')
const keys = createKeyLayout(prefix)
const redis = adaptClient(client)
const signal = new AbortController().signal

const save = (digest: string, expected: number, value: string | Buffer, expireAt: number) =>
  redis.run(SAVE_SCRIPT, [keys.record(digest)], [String(expected), value, String(expireAt)], signal)
const pair = (digest: string) => [keys.record(digest), keys.lastAccess(digest)]
const put = (digest: string, value: string | Buffer, expireAt: number) =>
  redis.run(PUT_SCRIPT, pair(digest), [value, String(expireAt)], signal)

describe('the save script', () => {
  it('applies only on the stored version', async () => {
    const at = Date.now() + 60_000
    await put('a', '1:one', at)
    expect(await save('a', 2, '3:wrong', at)).toBe(SaveResult.conflict)
    expect(await save('a', 1, '2:two', at + 1000)).toBe(SaveResult.saved)
    expect(await save('a', 1, '2:stale', at)).toBe(SaveResult.conflict)
    expect(await client.get(keys.record('a'))).toBe('2:two')
    expect(await client.pExpireTime(keys.record('a'))).toBe(at + 1000)
  })

  it('tells a missing record apart from a conflict and never writes over a tombstone', async () => {
    const at = Date.now() + 60_000
    expect(await save('b', 4, '5:x', at)).toBe(SaveResult.missing)
    expect(await client.exists(keys.record('b'))).toBe(0)
    await put('c', '1:c', at)
    await redis.run(TOUCH_SCRIPT, pair('c'), [String(at + 5000), '1234'], signal)
    const old = await redis.run(DELETE_SCRIPT, pair('c'), ['5000'], signal)
    expect(old).toEqual([Buffer.from('1:c'), Buffer.from('1234')])
    expect(await client.exists(keys.lastAccess('c'))).toBe(0)
    expect(await redis.run(DELETE_SCRIPT, pair('c'), ['5000'], signal)).toBeNull()
    expect(await save('c', 1, '2:late', at)).toBe(SaveResult.tombstoned)
    expect(await client.get(keys.record('c'))).toBe(TOMBSTONE)
    expect(await client.pTTL(keys.record('c'))).toBeGreaterThan(4000)
  })
})

describe('the touch script', () => {
  it("moves a live record's expiry later only and stores lastAccess beside it, never on a tombstone", async () => {
    const at = Date.now() + 60_000
    await put('d', '1:d', at)
    expect(await redis.run(TOUCH_SCRIPT, pair('d'), [String(at + 10_000), '42'], signal)).toBe(1)
    expect(await client.get(keys.record('d'))).toBe('1:d')
    expect(await client.get(keys.lastAccess('d'))).toBe('42')
    expect(await client.pExpireTime(keys.lastAccess('d'))).toBe(at + 10_000)
    // Out of order: an earlier touch changes nothing.
    expect(await redis.run(TOUCH_SCRIPT, pair('d'), [String(at + 5000), '41'], signal)).toBe(0)
    expect(await client.get(keys.lastAccess('d'))).toBe('42')
    expect(await client.pExpireTime(keys.record('d'))).toBe(at + 10_000)
    await redis.run(DELETE_SCRIPT, pair('d'), ['5000'], signal)
    const tombstoneEnd = await client.pExpireTime(keys.record('d'))
    expect(await redis.run(TOUCH_SCRIPT, pair('d'), [String(at + 20_000), '43'], signal)).toBe(0)
    expect(await client.pExpireTime(keys.record('d'))).toBe(tombstoneEnd)
    expect(await redis.run(TOUCH_SCRIPT, pair('none'), [String(at), '1'], signal)).toBe(0)
    expect(await client.exists([keys.record('none'), keys.lastAccess('none')])).toBe(0)
  })
})

describe('the put script', () => {
  it('writes over a tombstone and drops an older touch', async () => {
    const at = Date.now() + 60_000
    await put('e', '1:e', at)
    await redis.run(TOUCH_SCRIPT, pair('e'), [String(at + 1000), '7'], signal)
    expect(await client.exists(keys.lastAccess('e'))).toBe(1)
    await put('e', '1:restored', at)
    expect(await client.exists(keys.lastAccess('e'))).toBe(0)
    await redis.run(DELETE_SCRIPT, pair('e'), ['5000'], signal)
    await put('e', '1:again', at)
    expect(await client.get(keys.record('e'))).toBe('1:again')
    expect(await client.pExpireTime(keys.record('e'))).toBe(at)
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
