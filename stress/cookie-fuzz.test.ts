// Issue 10 §3: hostile cookies never crash the server, are never accepted, and cost no store call.
import { randomBytes } from 'node:crypto'
import { validateHeaderValue } from 'node:http'
import { createSessionManager, type SessionEvent, type SessionManager } from '@satchel/session-core'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CountingStore } from './fixtures/counting-store.js'
import { type CookieMaterial, hostileCookies } from './fixtures/hostile-cookies.js'
import { send } from './fixtures/http.js'
import { type LocalServer, startExpress, startKoa } from './fixtures/in-process.js'
import { SIZES } from './fixtures/sizes.js'

const COOKIES = SIZES.cookies
const HTTP_COOKIES = Math.ceil(COOKIES / 20)
const store = new CountingStore()
const manager: SessionManager = createSessionManager({ secret: randomBytes(32).toString('hex'), store })
const events: SessionEvent[] = []
manager.subscribe((event) => events.push(event))
let material: CookieMaterial

beforeAll(async () => {
  const valid: string[] = []
  for (let i = 0; i < 16; i++) {
    const handle = await manager.open({ cookie: undefined, encrypted: false })
    handle.session.data.set('owner', i)
    const [setCookie] = await handle.commit()
    valid.push(/^sid=([^;]+)/.exec(setCookie!)![1]!)
  }
  material = { valid, wrongSecret: randomBytes(32).toString('hex'), name: 'sid' }
})
afterAll(() => manager.close())

/** Opens a request with `cookie` and commits it untouched; returns what the request saw. */
async function visit(cookie: string): Promise<{ accepted: boolean; setCookie: string[] }> {
  const handle = await manager.open({ cookie, encrypted: false })
  const accepted = !handle.session.isNew
  return { accepted, setCookie: await handle.commit() }
}

describe(`${COOKIES} hostile cookies through the session manager`, () => {
  it('accepts none, answers each with no Set-Cookie, and makes no store call for any of them', async () => {
    const kinds = hostileCookies(material)
    const before = store.total
    events.length = 0
    let seen = 0
    await fc.assert(
      fc.asyncProperty(kinds.all, async (cookie) => {
        seen++
        const calls = new Map(store.calls)
        const { accepted, setCookie } = await visit(cookie)
        expect(accepted).toBe(false)
        expect(setCookie).toEqual([])
        expect(store.calls).toEqual(calls)
      }),
      { numRuns: COOKIES },
    )
    expect(seen).toBe(COOKIES)
    expect(store.total).toBe(before)
    expect(events.filter((event) => event.type === 'loaded')).toEqual([])
    expect(events.filter((event) => event.type === 'cookieRejected').length).toBeGreaterThan(COOKIES / 2)
  })

  it.each([
    'random',
    'truncated',
    'wronglySigned',
    'oversized',
    'nonAscii',
    'duplicate',
    'surrounded',
  ] as const)('rejects every %s cookie without a store call', async (kind) => {
    const before = store.total
    for (const cookie of fc.sample(hostileCookies(material)[kind], 200)) {
      expect((await visit(cookie)).accepted).toBe(false)
    }
    expect(store.total).toBe(before)
  })

  it('still accepts the real cookies, each with exactly one store read (the harness can see acceptance)', async () => {
    const before = store.calls.get('get') ?? 0
    for (const value of material.valid) expect((await visit(`sid=${value}`)).accepted).toBe(true)
    expect(store.calls.get('get')).toBe(before + material.valid.length)
  })
})

describe(`${HTTP_COOKIES} hostile cookies over HTTP`, () => {
  let servers: LocalServer[] = []
  beforeAll(async () => {
    servers = await Promise.all([startExpress(manager), startKoa(manager)])
  })
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()))
  })

  it('answers each on Express and Koa as a new visitor, with no cookie and no store call', async () => {
    const sendable = hostileCookies(material).all.filter((cookie) => {
      try {
        validateHeaderValue('cookie', cookie)
        return true
      } catch {
        return false
      }
    })
    const before = store.total
    const cookies = fc.sample(sendable, HTTP_COOKIES)
    for (let i = 0; i < cookies.length; i += 50) {
      const answers = await Promise.all(
        cookies
          .slice(i, i + 50)
          .map((cookie, j) => send(servers[j % 2]!.port, '/get?path=owner', { cookie })),
      )
      for (const answer of answers) {
        expect(answer.status).toBe(200)
        expect(JSON.parse(answer.body)).toEqual({ isNew: true, value: null })
        expect(answer.setCookie).toEqual([])
      }
    }
    expect(store.total).toBe(before)
  })
})

// Node's base64url decoder is forgiving: it reads each UTF-16 code unit by its low byte ('中' =
// U+4E2D reads as '-') and ignores the 2 unused low bits of the 43rd character. Only the canonical
// spelling of a real signature may verify.
describe('other spellings of a real signature', () => {
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  async function acceptedWithReads(value: string): Promise<{ accepted: boolean; reads: number }> {
    const before = store.calls.get('get') ?? 0
    const handle = await manager.open({ cookie: `sid=${value}`, encrypted: false })
    return { accepted: !handle.session.isNew, reads: (store.calls.get('get') ?? 0) - before }
  }

  it('rejects, without a store read, a signature character replaced by its non-ASCII alias', async () => {
    for (const value of material.valid) {
      for (const at of [44, 60, 85]) {
        const alias = String.fromCharCode(0x4e00 | value.charCodeAt(at)) // same low byte, not ASCII
        expect(await acceptedWithReads(value.slice(0, at) + alias + value.slice(at + 1))).toEqual({
          accepted: false,
          reads: 0,
        })
      }
    }
  })

  it('rejects, without a store read, a last signature character with non-zero padding bits', async () => {
    for (const value of material.valid) {
      const last = value.length - 1
      const respelled = value.slice(0, last) + ALPHABET[ALPHABET.indexOf(value[last]!) ^ 1]!
      expect(await acceptedWithReads(respelled)).toEqual({ accepted: false, reads: 0 })
      expect(await acceptedWithReads(value)).toEqual({ accepted: true, reads: 1 }) // the real one works
    }
  })
})
