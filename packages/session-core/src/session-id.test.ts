import { createHash } from 'node:crypto'
import { createRequire, syncBuiltinESMExports } from 'node:module'
import { describe, expect, it, vi } from 'vitest'
import { digestId, isWellFormedId, mintSessionId } from './index.js'
import { rememberDigest } from './session-id.js'

// node:crypto's ESM named exports follow the CommonJS object after syncBuiltinESMExports()
const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')

describe('session ids', () => {
  it('mints 256-bit base64url ids that are all different', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => mintSessionId()))
    expect(ids.size).toBe(1000)
    for (const id of ids) {
      expect(id).toHaveLength(43)
      expect(Buffer.from(id, 'base64url')).toHaveLength(32)
      expect(isWellFormedId(id)).toBe(true)
    }
  })

  it('accepts only the exact shape of a minted id', () => {
    const id = mintSessionId()
    expect(isWellFormedId(`${id}A`)).toBe(false)
    expect(isWellFormedId(id.slice(1))).toBe(false)
    expect(isWellFormedId(`${id.slice(0, 42)}+`)).toBe(false)
    expect(isWellFormedId(`${id.slice(0, 10)}.${id.slice(11)}`)).toBe(false)
    // 43 base64url characters whose last one carries bits beyond 256: not a canonical encoding
    expect(isWellFormedId(`${id.slice(0, 42)}B`)).toBe(false)
    expect(isWellFormedId(undefined)).toBe(false)
    expect(isWellFormedId(42)).toBe(false)
  })

  it('agrees with the shape /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/ on every character', () => {
    const shape = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/
    const id = mintSessionId()
    for (let code = 0; code < 0x180; code++) {
      const char = String.fromCharCode(code)
      for (const candidate of [
        `${char}${id.slice(1)}`,
        `${id.slice(0, 20)}${char}${id.slice(21)}`,
        `${id.slice(0, 42)}${char}`,
      ]) {
        expect(isWellFormedId(candidate)).toBe(shape.test(candidate))
      }
    }
    expect(isWellFormedId(`${id.slice(0, 42)}\u0100`)).toBe(false)
  })

  it('digests an id with SHA-256 into base64url, so stores never hold the token', () => {
    const id = mintSessionId()
    expect(digestId(id)).toBe(createHash('sha256').update(id).digest('base64url'))
    expect(digestId(id)).not.toBe(id)
    expect(digestId(id)).toHaveLength(43)
  })

  it('digests every id right, those it remembers and any other string', () => {
    const sha = (value: string) => createHash('sha256').update(value).digest('base64url')
    const ids = Array.from({ length: 5000 }, () => mintSessionId()) // more than it remembers
    for (const id of ids.slice(0, 2500)) rememberDigest(id)
    for (const round of [0, 1]) for (const id of ids) expect(digestId(id), `round ${round}`).toBe(sha(id))
    for (const other of ['', 'custom-id', 'é'.repeat(43), 'x'.repeat(10_000)]) {
      rememberDigest(other) // not of the minted shape: not kept
      expect(digestId(other)).toBe(sha(other))
    }
  })

  it('hashes a remembered id no more', () => {
    const id = mintSessionId()
    rememberDigest(id)
    const spy = vi.spyOn(crypto, 'hash')
    syncBuiltinESMExports()
    try {
      expect(digestId(id)).toHaveLength(43)
      expect(digestId(mintSessionId())).toHaveLength(43)
      expect(spy).toHaveBeenCalledTimes(1) // the id never remembered
    } finally {
      vi.restoreAllMocks()
      syncBuiltinESMExports()
    }
  })
})
