import { stringifySetCookie } from 'cookie'
import { describe, expect, it } from 'vitest'
import { mintSessionId } from './index.js'
import type { ResolvedCookie } from './options.js'
import { serializeClearingCookie, serializeCookie } from './session-cookie.js'

const base: ResolvedCookie = {
  name: 'sid',
  path: '/',
  domain: undefined,
  sameSite: 'lax',
  secure: 'auto',
  httpOnly: true,
  partitioned: false,
  priority: undefined,
  maxAge: 'absolute',
}

function reference(settings: ResolvedCookie, value: string, maxAge: number | undefined, secure: boolean) {
  return stringifySetCookie(
    {
      name: settings.name,
      value,
      path: settings.path,
      httpOnly: settings.httpOnly,
      sameSite: settings.sameSite,
      secure,
      partitioned: settings.partitioned,
      ...(maxAge === undefined ? {} : { maxAge }),
      ...(settings.domain === undefined ? {} : { domain: settings.domain }),
      ...(settings.priority === undefined ? {} : { priority: settings.priority }),
    },
    { encode: (text) => text },
  )
}

describe('serializeCookie', () => {
  it('writes what the cookie library writes, on the first call and on every later one', () => {
    const variants: Partial<ResolvedCookie>[] = [
      {},
      { name: '__Host-sid', sameSite: 'strict' },
      { domain: 'example.com', path: '/app', httpOnly: false },
      { sameSite: 'none', partitioned: true, priority: 'high' },
      { priority: 'low', path: '' },
    ]
    for (const variant of variants) {
      const settings = { ...base, ...variant }
      for (let round = 0; round < 3; round++) {
        for (const secure of [false, true]) {
          for (const maxAge of [undefined, 0, 86400]) {
            const value = `${mintSessionId()}.${mintSessionId()}`
            expect(serializeCookie(settings, value, maxAge, secure)).toBe(
              reference(settings, value, maxAge, secure),
            )
          }
        }
        expect(serializeClearingCookie(settings, true)).toBe(reference(settings, '', 0, true))
      }
    }
  })

  it('still rejects what the library rejects: a bad domain every time, a fractional Max-Age', () => {
    const bad = { ...base, domain: 'bad domain' }
    expect(() => serializeCookie(bad, 'x', 1, false)).toThrow(TypeError)
    expect(() => serializeCookie(bad, 'x', 1, false)).toThrow(TypeError)
    const settings = { ...base }
    expect(serializeCookie(settings, 'x', 1, false)).toBe(reference(settings, 'x', 1, false))
    expect(() => serializeCookie(settings, 'x', 1.5, false)).toThrow(TypeError)
  })
})
