// Issue 10 §3, the cases that fail today (see SECURITY.md "Known failures"): the signature half of
// the cookie is decoded with Node's forgiving base64url decoder before the constant-time compare,
// so other spellings of a real signature verify too. Node maps every UTF-16 code unit to its low
// byte ('中' = U+4E2D reads as '-') and ignores the 2 unused low bits of the 43rd character. Such a
// cookie is no forgery (it needs the real cookie), but it is a hostile, non-canonical cookie that
// is accepted and costs a store read, where the manager promises to reject it as malformed.
import { randomBytes } from 'node:crypto'
import { createSessionManager } from '@satchel/session-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { CountingStore } from './fixtures/counting-store.js'

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
const store = new CountingStore()
const manager = createSessionManager({ secret: randomBytes(32).toString('hex'), store })
let value = ''

beforeAll(async () => {
  const handle = await manager.open({ cookie: undefined, encrypted: false })
  handle.session.data.set('owner', 'ada')
  const [setCookie] = await handle.commit()
  value = /^sid=([^;]+)/.exec(setCookie!)![1]!
})
afterAll(() => manager.close())

async function acceptedWithReads(cookieValue: string): Promise<{ accepted: boolean; reads: number }> {
  const before = store.calls.get('get') ?? 0
  const handle = await manager.open({ cookie: `sid=${cookieValue}`, encrypted: false })
  return { accepted: !handle.session.isNew, reads: (store.calls.get('get') ?? 0) - before }
}

it('rejects, without a store read, a cookie whose signature spells a character with a non-ASCII alias', async () => {
  expect(await acceptedWithReads(value)).toEqual({ accepted: true, reads: 1 }) // the real cookie works
  const at = 44 + 10 // a signature character
  const alias = String.fromCharCode(0x4e00 | value.charCodeAt(at)) // same low byte, not ASCII
  const aliased = value.slice(0, at) + alias + value.slice(at + 1)
  expect(aliased).not.toBe(value)
  expect(await acceptedWithReads(aliased)).toEqual({ accepted: false, reads: 0 })
})

it('rejects, without a store read, a cookie whose last signature character has non-zero padding bits', async () => {
  const last = value.length - 1
  const bits = BASE64URL.indexOf(value[last]!)
  const respelled = value.slice(0, last) + BASE64URL[bits ^ 1]! // differs only in an unused bit
  expect(respelled).not.toBe(value)
  expect(await acceptedWithReads(respelled)).toEqual({ accepted: false, reads: 0 })
})
