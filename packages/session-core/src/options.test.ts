import { describe, expect, it } from 'vitest'
import { resolveOptions } from './options.js'

const secret = 'x'.repeat(32)

describe('resolveOptions', () => {
  it('applies the documented defaults', () => {
    const options = resolveOptions({ secret })
    expect(options).toMatchObject({
      secrets: [secret],
      ttl: 3600,
      absoluteTtl: 86400,
      touchAfterMs: 360_000,
      trustProxy: false,
      onStoreError: 'fail',
      maxSessionBytes: 65536,
      cookie: {
        name: 'sid',
        path: '/',
        sameSite: 'lax',
        secure: 'auto',
        httpOnly: true,
        partitioned: false,
        maxAge: 'absolute',
      },
    })
  })

  it('makes prefixed and SameSite=None cookies Secure, and refuses contradictions', () => {
    expect(resolveOptions({ secret, cookie: { name: '__Secure-sid' } }).cookie.secure).toBe(true)
    expect(resolveOptions({ secret, cookie: { name: '__Host-sid' } }).cookie.secure).toBe(true)
    expect(resolveOptions({ secret, cookie: { sameSite: 'none' } }).cookie.secure).toBe(true)
    expect(() => resolveOptions({ secret, cookie: { name: '__Secure-sid', secure: false } })).toThrow(
      /Secure/,
    )
    expect(() => resolveOptions({ secret, cookie: { name: '__Host-sid', path: '/app' } })).toThrow(/__Host-/)
  })

  it('refuses non-positive lifetimes and a touchAfter not shorter than ttl', () => {
    expect(() => resolveOptions({ secret, ttl: 0 })).toThrow(/ttl/)
    expect(() => resolveOptions({ secret, absoluteTtl: -5 })).toThrow(/absoluteTtl/)
    expect(() => resolveOptions({ secret, ttl: 100, touchAfter: 100 })).toThrow(/touchAfter/)
    expect(resolveOptions({ secret, touchAfter: 0 }).touchAfterMs).toBe(0)
    expect(resolveOptions({ secret, absoluteTtl: null }).absoluteTtl).toBeNull()
  })
})
