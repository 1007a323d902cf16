import type { SessionError } from './session-error.js'

/** @internal Thrown inside the manager when a store failure degrades the request to anonymous. */
export class Degraded extends Error {
  constructor(readonly failure: SessionError) {
    super(failure.message)
  }
}
