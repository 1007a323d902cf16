import { describe, expect, it } from 'vitest'
import { SESSION_ERROR_STATUS, SessionError } from './index.js'

describe('SessionError', () => {
  it('carries a code, the HTTP status from the one table, and the cause', () => {
    const cause = new Error('ECONNREFUSED')
    const error = new SessionError('STORE_UNAVAILABLE', 'store down', { cause })
    expect(error.code).toBe('STORE_UNAVAILABLE')
    expect(error.status).toBe(503)
    expect(error.cause).toBe(cause)
    expect(error.name).toBe('SessionError')
    expect(new SessionError('SESSION_TOO_LARGE', 'big').status).toBe(500)
  })

  it('maps every code to 500 except the unavailable-store family', () => {
    for (const [code, status] of Object.entries(SESSION_ERROR_STATUS)) {
      expect(status, code).toBe(code === 'STORE_UNAVAILABLE' || code === 'CONFLICT' ? 503 : 500)
    }
  })

  it('is() recognises errors from another copy of the package through the Symbol.for brand', () => {
    const foreign = new Error('other copy')
    Object.defineProperty(foreign, Symbol.for('@satchel/session-core/SessionError'), { value: true })
    expect(SessionError.is(foreign)).toBe(true)
    expect(SessionError.is(new SessionError('INVALID_DUMP', 'x'))).toBe(true)
    expect(SessionError.is(new Error('plain'))).toBe(false)
    expect(SessionError.is({ code: 'INVALID_DUMP' })).toBe(false)
    expect(SessionError.is(null)).toBe(false)
  })
})
