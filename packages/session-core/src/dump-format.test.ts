import { describe, expect, it } from 'vitest'
import { DUMP_FORMAT, parseDump, SessionError } from './index.js'

const refusal = (dump: unknown): unknown => {
  try {
    parseDump(dump, Date.now())
  } catch (error) {
    return error
  }
  return undefined
}

describe('parseDump', () => {
  it('refuses a version whose toString is hostile with INVALID_DUMP, not a TypeError (stress: parser-fuzz)', () => {
    const error = refusal({ format: DUMP_FORMAT, version: { toString: '' }, sessions: [] })
    expect(SessionError.is(error) && error.code).toBe('INVALID_DUMP')
  })

  it('refuses a format that cannot be turned into JSON with INVALID_DUMP', () => {
    const error = refusal({ format: 10n, version: 1, sessions: [] })
    expect(SessionError.is(error) && error.code).toBe('INVALID_DUMP')
  })
})
