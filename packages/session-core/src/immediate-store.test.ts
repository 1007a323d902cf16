import { describe, expect, it, vi } from 'vitest'
import { thrown } from './__fixtures__/thrown.js'
import {
  createSessionManager,
  MemorySessionStore,
  type RequestSession,
  SessionError,
  type SessionManager,
  type SessionStore,
  sessionOpener,
} from './index.js'

const SECRET = 'a-very-long-secret-of-at-least-32-bytes!'

/** The `name=value` part of a Set-Cookie value. */
const cookieOf = (setCookie: string | undefined) => setCookie?.split(';')[0]

function setup(store: SessionStore = new MemorySessionStore({ sweepInterval: 0 })) {
  const manager = createSessionManager({ secret: SECRET, store })
  return { manager, store, open: sessionOpener(manager) }
}

/** A stored session's cookie, written through the manager's public (promise) path. */
async function storedCookie(manager: SessionManager): Promise<string> {
  const handle = await manager.open({ cookie: undefined, encrypted: false })
  handle.session.data.set('count', 1)
  return cookieOf((await handle.commit())[0])!
}

describe('a store that answers at once (the memory store)', () => {
  it('opens, reads, writes and creates without a promise', async () => {
    const { manager, store, open } = setup()
    const cookie = await storedCookie(manager)

    const read = open({ cookie, encrypted: false }) as RequestSession
    expect(read).not.toBeInstanceOf(Promise)
    expect(read.session.data.get('count')).toBe(1)
    expect(read.settle()).toEqual([])

    const write = open({ cookie, encrypted: false }) as RequestSession
    write.session.data.set('count', 2)
    const settled = write.settle()
    expect(settled).toEqual([]) // an array: the write is done when settle() returns
    expect(await write.commit()).toBe(settled)
    expect((await store.get(write.session.id))?.data.get('count')).toBe(2)

    const created = open({ cookie: undefined, encrypted: false }) as RequestSession
    created.session.data.set('count', 1)
    const cookies = created.settle() as string[]
    expect(cookies).toHaveLength(1)
    expect(await store.get(created.session.id)).toBeDefined()
  })

  it('throws a commit that cannot be stored from settle(), rejects commit() with it, and stores nothing', async () => {
    const { store, open } = setup()
    const handle = open({ cookie: undefined, encrypted: false }) as RequestSession
    handle.session.data.set('fn', () => 1)
    const error = thrown(() => handle.settle())
    expect(SessionError.is(error) && error.code).toBe('NOT_SERIALIZABLE')
    await expect(handle.commit()).rejects.toBe(error)
    expect(() => handle.settle()).not.toThrow() // later calls share the rejected commit
    expect(await store.count()).toBe(0)
  })

  it('waits for the store again when its methods are overridden, wrapped or spied on', async () => {
    const saved: string[] = []
    class AuditedStore extends MemorySessionStore {
      override async save(session: Parameters<MemorySessionStore['save']>[0]): Promise<void> {
        saved.push(session.id)
        await super.save(session)
      }
    }
    const audited = setup(new AuditedStore({ sweepInterval: 0 }))
    const handle = audited.open({ cookie: undefined, encrypted: false }) as RequestSession
    handle.session.data.set('count', 1)
    const pending = handle.settle()
    expect(pending).toBeInstanceOf(Promise)
    await pending
    expect(saved).toEqual([handle.session.id])

    const spied = setup()
    const cookie = await storedCookie(spied.manager)
    const get = vi.spyOn(spied.store, 'get')
    const opened = spied.open({ cookie, encrypted: false })
    expect(opened).toBeInstanceOf(Promise)
    expect((await opened).session.data.get('count')).toBe(1)
    expect(get).toHaveBeenCalledTimes(1)
  })

  it("uses a manager's own open() when the manager was not made by createSessionManager", async () => {
    const inner = createSessionManager({ secret: SECRET })
    const opens: unknown[] = []
    const wrapped: SessionManager = {
      ...inner,
      open: (request) => {
        opens.push(request)
        return inner.open(request)
      },
    }
    const opened = sessionOpener(wrapped)({ cookie: undefined, encrypted: false })
    expect(opened).toBeInstanceOf(Promise)
    expect((await opened).session.isNew).toBe(true)
    expect(opens).toHaveLength(1)
    await inner.close()
  })
})
