import { IncomingMessage } from 'node:http'
import { Socket } from 'node:net'
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

  it("keeps a Node request's handle off the request, one handle per request on a shared socket", async () => {
    const { manager, handle } = await open()
    const other = await open()
    const socket = new Socket()
    const first = new IncomingMessage(socket)
    const second = new IncomingMessage(socket)
    const keysBefore = Reflect.ownKeys(first)
    attachSession(first, handle)
    attachSession(second, other.handle)
    // A bare node:http request has no shared prototype: the accessors are its own, the slot is not.
    expect(new Set(Reflect.ownKeys(first))).toEqual(new Set([...keysBefore, 'session', 'avatar', 'sessions']))
    expect(handleOf(first)).toBe(handle)
    expect(handleOf(second)).toBe(other.handle)
    expect((first as unknown as { session: unknown }).session).toBe(handle.session)
    expect(handleOf(new IncomingMessage(socket))).toBeUndefined()
    await manager.close()
    await other.manager.close()
  })

  it('gives an object made from an attached target a slot of its own', async () => {
    const { manager, handle } = await open()
    const other = await open()
    const base = {}
    attachSession(base, handle)
    const derived = Object.create(base) as object
    attachSession(derived, other.handle)
    expect(handleOf(base)).toBe(handle)
    expect(handleOf(derived)).toBe(other.handle)
    await manager.close()
    await other.manager.close()
  })
})
