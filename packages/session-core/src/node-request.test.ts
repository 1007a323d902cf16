import { createServer, IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect, Socket } from 'node:net'
import { TLSSocket } from 'node:tls'
import { afterEach, describe, expect, it } from 'vitest'
import { requestInput, type SessionRequest } from './index.js'

let server: Server | undefined
afterEach(async () => {
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined))
  server = undefined
})

/** What requestInput makes of a real request sent with `headers`. */
async function inputFor(headers: Record<string, string>): Promise<SessionRequest> {
  let input: SessionRequest | undefined
  server = createServer((req, res) => {
    const lazy = requestInput(req)
    // Read while the request is live; the fields are getters.
    input = {
      cookie: lazy.cookie,
      encrypted: lazy.encrypted,
      forwardedProto: lazy.forwardedProto,
      userAgent: lazy.userAgent,
    }
    res.end()
  })
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await (await fetch(`http://127.0.0.1:${port}/`, { headers })).text()
  return input!
}

describe('requestInput', () => {
  it('reads the Cookie, X-Forwarded-Proto and User-Agent headers of a plain-http request', async () => {
    const input = await inputFor({
      cookie: 'sid=abc; theme=dark',
      'x-forwarded-proto': 'https',
      'user-agent': 'test/1',
    })
    expect(input).toEqual({
      cookie: 'sid=abc; theme=dark',
      encrypted: false,
      forwardedProto: 'https',
      userAgent: 'test/1',
    })
  })

  it('reports absent or empty headers as undefined', async () => {
    const input = await inputFor({ cookie: '', 'user-agent': '' })
    expect(input).toEqual({
      cookie: undefined,
      encrypted: false,
      forwardedProto: undefined,
      userAgent: undefined,
    })
  })

  it('joins several Cookie lines as req.headers does, and follows req.headers once it was changed', async () => {
    const seen: [string | undefined, string | undefined][] = []
    server = createServer((req, res) => {
      const before = requestInput(req).cookie
      if (req.url === '/changed') req.headers.cookie = 'sid=changed'
      seen.push([before, requestInput(req).cookie])
      res.end(String(req.headers.cookie))
    })
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    for (const path of ['/', '/changed']) {
      const socket = connect(port, '127.0.0.1')
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: x\r\nCookie: a=1\r\nX-Other: y\r\ncookie: b=2\r\nConnection: close\r\n\r\n`,
      )
      await new Promise((resolve) => socket.on('end', resolve).resume())
    }
    expect(seen).toEqual([
      ['a=1; b=2', 'a=1; b=2'],
      ['a=1; b=2', 'sid=changed'],
    ])
  })

  it('marks a request on a TLS socket as encrypted', () => {
    const req = new IncomingMessage(new TLSSocket(new Socket()))
    expect(requestInput(req).encrypted).toBe(true)
  })
})
