// Two demo processes on one Redis (REDIS_URL): Express in one, Koa in the other, sharing
// sessions across processes. Needs the real Redis on 127.0.0.1:6379 and fails when it is absent.
import { randomBytes } from 'node:crypto'
import { createClient } from 'redis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DemoServer, sparePort, startDemo } from './test-support/demo-server.js'

const REDIS_URL = process.env.SATCHEL_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const prefix = `satchel-demo-test:${randomBytes(6).toString('hex')}:`
const secret = randomBytes(48).toString('base64url')
let expressProcess: DemoServer
let koaProcess: DemoServer
let expressUrl: string
let koaUrl: string

function cookieFrom(response: Response): string {
  const header = response.headers.get('set-cookie') ?? ''
  return header.split(';')[0] ?? ''
}

async function page(url: string, cookie: string): Promise<{ status: number; text: string }> {
  const response = await fetch(url, { headers: { cookie } })
  return { status: response.status, text: await response.text() }
}

function identityOf(text: string): string | undefined {
  return /data-testid="identity">([^<]*)</.exec(text)?.[1]
}

beforeAll(async () => {
  const [expressPort, koaPort] = [await sparePort(), await sparePort()]
  const common = { persistFile: '', secret, redisUrl: REDIS_URL, redisPrefix: prefix }
  ;[expressProcess, koaProcess] = await Promise.all([
    startDemo({ ...common, expressPort, koaPort: 'off' }),
    startDemo({ ...common, expressPort: 'off', koaPort }),
  ])
  expressUrl = `http://127.0.0.1:${expressPort}`
  koaUrl = `http://127.0.0.1:${koaPort}`
})

afterAll(async () => {
  await Promise.all([expressProcess?.stop(), koaProcess?.stop()])
  const client = createClient({ url: REDIS_URL, socket: { reconnectStrategy: false, connectTimeout: 2000 } })
  await client.connect()
  for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 500 })) {
    if (keys.length > 0) await client.del(keys)
  }
  await client.close()
})

describe('the demo on Redis, across processes', () => {
  it('shares a login and a cart between an Express process and a Koa process', async () => {
    const login = await fetch(`${expressUrl}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ identity: 'bob', password: 'bob-pass' }),
    })
    expect(login.status).toBe(303)
    const cookie = cookieFrom(login)
    expect(cookie).toMatch(/=/)
    const added = await fetch(`${expressUrl}/cart/add`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ sku: 'mug' }),
    })
    expect(added.status).toBe(303)

    const onKoa = await page(`${koaUrl}/cart`, cookie)
    expect(onKoa.status).toBe(200)
    expect(identityOf(onKoa.text)).toBe('bob')
    expect(onKoa.text).toContain('EUR 12.90')
    expect(onKoa.text).toContain('data-testid="framework">Koa<')
    expect(koaProcess.output()).toContain(`prefix "${prefix}"`)

    const loggedOut = await fetch(`${koaUrl}/logout`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie },
    })
    expect(loggedOut.status).toBe(303)
    expect(identityOf((await page(`${expressUrl}/`, cookie)).text)).toBe('anonymous')
  })
})
