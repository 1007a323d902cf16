import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { commitBeforeHead } from './index.js'

const servers: Server[] = []
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise((resolve) => server.close(resolve))
})

async function serve(listener: RequestListener): Promise<string> {
  const server = createServer(listener)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** A commit the test resolves by hand, recording when it started. */
function gate(cookies: string[] = []) {
  const events: string[] = []
  let open = () => {}
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  const commit = async () => {
    events.push('commit started')
    await opened
    events.push('commit done')
    return cookies
  }
  return { events, open: () => open(), commit }
}

describe('commitBeforeHead', () => {
  it('holds end() until the commit resolved, then sends its Set-Cookie values with the response', async () => {
    const { events, open, commit } = gate(['sid=abc; Path=/', 'other=1'])
    const url = await serve((_req, res) => {
      commitBeforeHead(res, commit, () => {})
      res.setHeader('set-cookie', 'app=1')
      res.end('done')
      events.push('end returned')
      setTimeout(open, 20)
    })
    const response = await fetch(url)
    expect(events).toEqual(['commit started', 'end returned', 'commit done'])
    expect(response.headers.getSetCookie()).toEqual(['app=1', 'sid=abc; Path=/', 'other=1'])
    expect(await response.text()).toBe('done')
  })

  it('replays an explicit writeHead and a streamed body in order after the commit', async () => {
    const { open, commit } = gate(['sid=abc'])
    const url = await serve((_req, res) => {
      commitBeforeHead(res, commit, () => {})
      res.writeHead(201, { 'content-type': 'text/plain' })
      expect(res.write('one ')).toBe(true)
      res.write('two ')
      setTimeout(() => {
        res.end('three')
        open()
      }, 10)
    })
    const response = await fetch(url)
    expect(response.status).toBe(201)
    expect(response.headers.getSetCookie()).toEqual(['sid=abc'])
    expect(await response.text()).toBe('one two three')
  })

  it('hands every argument on, held or not: status, reason and headers; chunk, encoding and callback', async () => {
    const calls: string[] = []
    for (const wait of [true, false]) {
      const { open, commit } = gate(['sid=abc'])
      const url = await serve((_req, res) => {
        commitBeforeHead(res, wait ? commit : () => ['sid=abc'], () => {})
        res.writeHead(202, 'Taken', { 'x-kind': wait ? 'held' : 'direct' })
        res.write('6869', 'hex', () => calls.push(`write ${wait}`))
        res.end('!', 'utf8', () => calls.push(`end ${wait}`))
        if (wait) setTimeout(open, 10)
      })
      const response = await fetch(url)
      expect([response.status, response.statusText, response.headers.get('x-kind')]).toEqual([
        202,
        'Taken',
        wait ? 'held' : 'direct',
      ])
      expect(response.headers.getSetCookie()).toEqual(['sid=abc'])
      expect(await response.text()).toBe('hi!')
    }
    expect(calls.sort()).toEqual(['end false', 'end true', 'write false', 'write true'])
  })

  it('runs the commit once per response however many writes hold', async () => {
    let commits = 0
    const url = await serve((_req, res) => {
      commitBeforeHead(
        res,
        async () => {
          commits += 1
          return []
        },
        () => {},
      )
      res.flushHeaders()
      res.write('a')
      res.write('b')
      res.end('c')
    })
    const response = await fetch(url)
    expect(await response.text()).toBe('abc')
    expect(response.headers.getSetCookie()).toEqual([])
    expect(commits).toBe(1)
  })

  it('drops the held calls and lets onError answer with the head still unsent when the commit fails', async () => {
    const url = await serve((_req, res) => {
      commitBeforeHead(
        res,
        () => Promise.reject(new Error('store down')),
        (error) => {
          res.statusCode = 503
          res.end(`failed: ${(error as Error).message}`)
        },
      )
      res.writeHead(200)
      res.end('should not be sent')
    })
    const response = await fetch(url)
    expect(response.status).toBe(503)
    expect(await response.text()).toBe('failed: store down')
  })

  it('keeps methods wrapped after it working (a later wrapper sees every call)', async () => {
    const seen: string[] = []
    const url = await serve((_req, res) => {
      commitBeforeHead(
        res,
        async () => ['sid=abc'],
        () => {},
      )
      const end = res.end
      res.end = function (this: typeof res, ...args: Parameters<typeof end>) {
        seen.push('later end')
        return end.apply(this, args)
      } as typeof end
      res.end('ok')
    })
    const response = await fetch(url)
    expect(await response.text()).toBe('ok')
    expect(response.headers.getSetCookie()).toEqual(['sid=abc'])
    expect(seen).toEqual(['later end'])
  })

  it('sends the response in the same tick when the commit answers at once (nothing to store)', async () => {
    const seen: string[] = []
    const url = await serve((_req, res) => {
      commitBeforeHead(
        res,
        () => ['sid=now'],
        () => {},
      )
      res.end('ok')
      seen.push(res.headersSent ? 'head sent in end()' : 'head held')
    })
    const response = await fetch(url)
    expect(await response.text()).toBe('ok')
    expect(response.headers.getSetCookie()).toEqual(['sid=now'])
    expect(seen).toEqual(['head sent in end()'])
  })

  it('hands a commit that throws at once to onError with the head unsent', async () => {
    const url = await serve((_req, res) => {
      commitBeforeHead(
        res,
        () => {
          throw new Error('too large')
        },
        (error) => {
          res.statusCode = 500
          res.end(`failed: ${(error as Error).message}`)
        },
      )
      res.end('should not be sent')
    })
    const response = await fetch(url)
    expect(response.status).toBe(500)
    expect(await response.text()).toBe('failed: too large')
  })
})
