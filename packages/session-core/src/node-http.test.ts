import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { commitBeforeHead, createSessionManager, requestInput, SessionError } from './index.js'

// The README example, on a real node:http server on an ephemeral port.
const sessions = createSessionManager({ secret: 'a-long-random-secret-of-32-bytes-or-more' })
let server: Server
let base: string

const fail = (res: ServerResponse, error: unknown) => {
  res.statusCode = SessionError.is(error) ? error.status : 500
  res.end()
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    try {
      const handle = await sessions.open(requestInput(req))
      commitBeforeHead(
        res,
        () => handle.commit(),
        (error) => fail(res, error),
      )
      if (req.url === '/login') await handle.sessions.login({ identity: 'ada', tags: ['admin'] })
      if (req.url === '/logout') await handle.sessions.logout()
      const visits = Number(handle.session.data.get('visits') ?? 0) + 1
      if (req.url !== '/peek') handle.session.data.set('visits', visits)
      res.end(`${handle.avatar.identity}: visit ${visits}`)
    } catch (error) {
      fail(res, error)
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await sessions.close()
})

async function get(path: string, cookie?: string) {
  const response = await fetch(base + path, cookie ? { headers: { cookie } } : {})
  const setCookie = response.headers.getSetCookie()
  return { text: await response.text(), setCookie, cookie: setCookie[0]?.split(';')[0] ?? cookie }
}

describe('the session manager on plain node:http', () => {
  it('keeps a visitor’s session across requests, logs in with a new cookie and logs out', async () => {
    const peek = await get('/peek')
    expect([peek.text, peek.setCookie]).toEqual(['anonymous: visit 1', []])
    const first = await get('/')
    expect(first.setCookie).toHaveLength(1)
    const second = await get('/', first.cookie)
    expect([second.text, second.setCookie]).toEqual(['anonymous: visit 2', []])
    const login = await get('/login', second.cookie)
    expect(login.text).toBe('ada: visit 1')
    expect(login.cookie).not.toBe(second.cookie)
    expect((await get('/', login.cookie)).text).toBe('ada: visit 2')
    expect((await get('/peek', second.cookie)).text).toBe('anonymous: visit 1')
    const logout = await get('/logout', login.cookie)
    expect(logout.setCookie.some((value) => value.includes('Max-Age=0'))).toBe(false) // replaced by the new visit's cookie
    expect((await get('/peek', login.cookie)).text).toBe('anonymous: visit 1')
  })
})
