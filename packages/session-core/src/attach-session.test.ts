import { describe, expect, it } from 'vitest'
import {
  attachSession,
  createSessionManager,
  handleOf,
  MemorySessionStore,
  sessionAccessors,
} from './index.js'

const SECRET = 'a-very-long-secret-of-at-least-32-bytes!'

async function open() {
  const manager = createSessionManager({ secret: SECRET, store: new MemorySessionStore() })
  const handle = await manager.open({ cookie: undefined, encrypted: false })
  return { manager, handle }
}

describe('attachSession', () => {
  it('gives the target session, avatar and sessions that follow a login', async () => {
    const { manager, handle } = await open()
    const req: Record<string, unknown> = {}
    attachSession(req, handle)
    expect(req.session).toBe(handle.session)
    expect(req.avatar).toBe(handle.session.avatar)
    expect(req.sessions).toBe(handle.sessions)
    const before = req.session
    await handle.sessions.login({ identity: 'ada' })
    expect(req.session).not.toBe(before)
    expect(req.session).toBe(handle.session)
    expect(handle.avatar.identity).toBe('ada')
    expect(req.avatar).toBe(handle.avatar)
    await manager.close()
  })

  it('lets handleOf tell an attached target from a fresh one', async () => {
    const { manager, handle } = await open()
    const req = {}
    expect(handleOf(req)).toBeUndefined()
    attachSession(req, handle)
    expect(handleOf(req)).toBe(handle)
    await manager.close()
  })

  it('serves session through the reader given to sessionAccessors, shared by every target', async () => {
    const { manager, handle } = await open()
    const accessors = sessionAccessors((current) => ({ wrapped: current.session }))
    const first: Record<string, unknown> = {}
    const second: Record<string, unknown> = {}
    attachSession(first, handle, accessors)
    attachSession(second, handle, accessors)
    expect(first.session).toEqual({ wrapped: handle.session })
    expect(Object.getOwnPropertyDescriptor(first, 'session')?.get).toBe(
      Object.getOwnPropertyDescriptor(second, 'session')?.get,
    )
    expect(Object.keys(first)).toEqual(['session', 'avatar', 'sessions'])
    await manager.close()
  })
})
