import { createHash, createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { thrown } from './__fixtures__/thrown.js'
import { mintSessionId, SessionError } from './index.js'
import { KeyRing } from './key-ring.js'

const OLD = 'o'.repeat(32)
/** The digest a store keys a session by, computed apart from the ring. */
const sha256 = (id: string): string => createHash('sha256').update(id).digest('base64url')
const NEW = 'n'.repeat(40)

describe('KeyRing', () => {
  it('signs an id with HMAC-SHA256 of the newest secret', () => {
    const id = mintSessionId()
    const expected = createHmac('sha256', NEW).update(id).digest('base64url')
    expect(new KeyRing([NEW, OLD]).sign(id)).toBe(`${id}.${expected}`)
  })

  it('verifies its own signatures and reports an older key as stale', () => {
    const id = mintSessionId()
    expect(new KeyRing(NEW).verify(new KeyRing(NEW).sign(id))).toEqual({
      ok: true,
      id,
      digest: sha256(id),
      stale: false,
    })
    expect(new KeyRing([NEW, OLD]).verify(new KeyRing(OLD).sign(id))).toEqual({
      ok: true,
      id,
      digest: sha256(id),
      stale: true,
    })
  })

  it('rejects forged, malformed and oversized values without throwing', () => {
    const ring = new KeyRing(NEW)
    const id = mintSessionId()
    const signed = ring.sign(id)
    expect(ring.verify(new KeyRing(OLD).sign(id))).toEqual({ ok: false, reason: 'forged' })
    expect(ring.verify(`${mintSessionId()}${signed.slice(43)}`)).toEqual({ ok: false, reason: 'forged' })
    expect(ring.verify(`${signed}x`)).toEqual({ ok: false, reason: 'oversized' })
    expect(ring.verify('x'.repeat(5000))).toEqual({ ok: false, reason: 'oversized' })
    expect(ring.verify(signed.slice(0, -1))).toEqual({ ok: false, reason: 'malformed' })
    expect(ring.verify(signed.replace('.', '-'))).toEqual({ ok: false, reason: 'malformed' })
    expect(ring.verify(`${'!'.repeat(43)}${signed.slice(43)}`)).toEqual({ ok: false, reason: 'malformed' })
    expect(ring.verify('')).toEqual({ ok: false, reason: 'malformed' })
  })

  it('answers a value verified before the same way, and still rejects its forgeries', () => {
    const ring = new KeyRing([NEW, OLD])
    const id = mintSessionId()
    const current = ring.sign(id)
    const old = new KeyRing(OLD).sign(id)
    for (let round = 0; round < 3; round++) {
      expect(ring.verify(current)).toEqual({ ok: true, id, digest: sha256(id), stale: false })
      expect(ring.verify(old)).toEqual({ ok: true, id, digest: sha256(id), stale: true })
      const flipped = current.slice(0, 50) + (current[50] === 'A' ? 'B' : 'A') + current.slice(51)
      expect(ring.verify(flipped)).toEqual({ ok: false, reason: 'forged' })
      expect(ring.verify(`${current}x`)).toEqual({ ok: false, reason: 'oversized' })
    }
    // Another ring (other secrets) never answers from this one's memory.
    expect(new KeyRing(NEW.toUpperCase()).verify(current)).toEqual({ ok: false, reason: 'forged' })
  })

  it('accepts only the canonical spelling of a signature (stress: cookie-signature-encoding)', () => {
    const ring = new KeyRing(NEW)
    const signed = ring.sign(mintSessionId())
    const at = signed.length - 10
    const alias =
      signed.slice(0, at) + String.fromCharCode(0x4e00 | signed.charCodeAt(at)) + signed.slice(at + 1)
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const last = alphabet[alphabet.indexOf(signed.at(-1)!) ^ 1]!
    expect(ring.verify(alias)).toEqual({ ok: false, reason: 'malformed' })
    expect(ring.verify(signed.slice(0, -1) + last)).toEqual({ ok: false, reason: 'malformed' })
  })

  it('signs a value that is not a minted id with HMAC-SHA256 too', () => {
    expect(new KeyRing(NEW).sign('custom-id')).toBe(
      `custom-id.${createHmac('sha256', NEW).update('custom-id').digest('base64url')}`,
    )
  })

  it('refuses secrets shorter than 32 bytes with SECRET_TOO_SHORT', () => {
    for (const secrets of ['short', [NEW, 'x'.repeat(31)]]) {
      const error = thrown(() => new KeyRing(secrets))
      expect(SessionError.is(error) && error.code).toBe('SECRET_TOO_SHORT')
    }
    expect(() => new KeyRing([])).toThrow(SessionError)
    // 11 three-byte characters are 33 bytes: bytes count, not characters
    expect(() => new KeyRing('€'.repeat(11))).not.toThrow()
  })

  it('signs and verifies exactly as createHmac, for secrets shorter and longer than a SHA-256 block', () => {
    for (const secret of ['k'.repeat(32), 'é'.repeat(32), 'l'.repeat(64), 'm'.repeat(65), 'z'.repeat(300)]) {
      const ring = new KeyRing(['x'.repeat(40), secret])
      for (let round = 0; round < 20; round++) {
        const id = mintSessionId()
        const mac = createHmac('sha256', secret).update(id).digest('base64url')
        expect(ring.verify(`${id}.${mac}`)).toEqual({ ok: true, id, digest: sha256(id), stale: true })
        expect(new KeyRing(secret).sign(id)).toBe(`${id}.${mac}`)
        const flipped = mac.slice(0, 5) + (mac[5] === 'A' ? 'B' : 'A') + mac.slice(6)
        expect(ring.verify(`${id}.${flipped}`)).toEqual({ ok: false, reason: 'forged' })
      }
    }
  })
})
