import { describe, expect, it } from 'vitest'
import { createSessionManager, MemorySessionStore, sessionManagerFrom } from './index.js'

const SECRET = 'a-very-long-secret-of-at-least-32-bytes!'

describe('sessionManagerFrom', () => {
  it('returns a given manager itself', async () => {
    const manager = createSessionManager({ secret: SECRET })
    expect(sessionManagerFrom(manager)).toBe(manager)
    await manager.close()
  })

  it('makes a manager from options, using the given store', async () => {
    const store = new MemorySessionStore()
    const manager = sessionManagerFrom({ secret: SECRET, store })
    expect(manager.store).toBe(store)
    expect(typeof manager.open).toBe('function')
    await manager.close()
    await store.close()
  })
})
