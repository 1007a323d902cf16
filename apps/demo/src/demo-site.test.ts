// The demo site in a real browser: Chromium (playwright-core) against the demo process, which
// serves the same pages from Express and Koa on one session store persisted to a temp file.
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CHROMIUM_ARGS, findChromium } from './test-support/chromium.js'
import { type DemoServer, sparePort, startDemo } from './test-support/demo-server.js'

const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url))

let browser: Browser
let server: DemoServer
let tempDir: string
let expressUrl: string
let koaUrl: string
let options: Parameters<typeof startDemo>[0]
let alice: BrowserContext
let carol: BrowserContext
let carolPage: Page
const openContexts: BrowserContext[] = []

async function newContext(): Promise<BrowserContext> {
  const context = await browser.newContext()
  // Fail in seconds, not at the test timeout, when an element is missing.
  context.setDefaultTimeout(5_000)
  openContexts.push(context)
  return context
}

/** Saves a screenshot of every open page into test-artifacts/ when the test fails. */
function screenshotOnFailure(onTestFailed: (fn: () => Promise<void>) => void, name: string): void {
  onTestFailed(async () => {
    mkdirSync(ARTIFACTS, { recursive: true })
    let index = 0
    for (const context of openContexts) {
      for (const page of context.pages()) {
        index += 1
        await page
          .screenshot({ path: join(ARTIFACTS, `demo-${name}-${index}.png`), fullPage: true })
          .catch(() => {})
      }
    }
    console.error(`demo output so far:\n${server?.output()}`)
  })
}

async function identity(page: Page): Promise<string> {
  return (await page.getByTestId('identity').textContent())?.trim() ?? ''
}

async function cartTotal(page: Page): Promise<string> {
  return (await page.getByTestId('cart-total').textContent())?.trim() ?? ''
}

async function signIn(page: Page, baseUrl: string, user: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`)
  await page.locator('[data-testid=login-form] input[name=identity]').fill(user)
  await page.locator('[data-testid=login-form] input[name=password]').fill(password)
  await page.getByTestId('login-submit').click()
  await page.waitForURL(`${baseUrl}/`)
}

async function addToCart(page: Page, baseUrl: string, sku: string): Promise<void> {
  await page.goto(`${baseUrl}/`)
  await page.getByTestId(`add-${sku}`).click()
  await page.waitForURL(`${baseUrl}/cart`)
}

beforeAll(async () => {
  const executablePath = findChromium()
  tempDir = mkdtempSync(join(tmpdir(), 'satchel-demo-'))
  const [expressPort, koaPort] = [await sparePort(), await sparePort()]
  options = {
    expressPort,
    koaPort,
    persistFile: join(tempDir, 'sessions.json'),
    secret: randomBytes(48).toString('base64url'),
  }
  expressUrl = `http://127.0.0.1:${expressPort}`
  koaUrl = `http://127.0.0.1:${koaPort}`
  ;[browser, server] = await Promise.all([
    chromium.launch({ executablePath, args: CHROMIUM_ARGS }),
    startDemo(options),
  ])
  carol = await newContext()
  carolPage = await carol.newPage()
})

afterAll(async () => {
  await browser?.close()
  await server?.stop()
  if (tempDir) rmSync(tempDir, { recursive: true, force: true })
})

describe('the demo site in Chromium', () => {
  it('sets no cookie on a first visit, then keeps the cart across login and reload', async ({
    onTestFailed,
  }) => {
    screenshotOnFailure(onTestFailed, 'first-visit')
    const first = await carolPage.goto(`${expressUrl}/`)
    expect(first?.status()).toBe(200)
    expect(await first?.headerValue('set-cookie')).toBeNull()
    await carolPage.goto(`${expressUrl}/inspector`)
    await expect.poll(() => carolPage.getByTestId('not-stored').count()).toBe(1)
    expect(await carol.cookies()).toEqual([])
    expect(await identity(carolPage)).toBe('anonymous')

    // Doing something starts the session: an anonymous cart, kept through the login.
    await addToCart(carolPage, expressUrl, 'sticker')
    const cookies = await carol.cookies()
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })

    await signIn(carolPage, expressUrl, 'carol', 'carol-pass')
    expect(await identity(carolPage)).toBe('carol')
    await addToCart(carolPage, expressUrl, 'tea')
    await addToCart(carolPage, expressUrl, 'tea')
    await addToCart(carolPage, expressUrl, 'pin')
    expect(await cartTotal(carolPage)).toBe('EUR 9.30')

    await carolPage.reload()
    expect(await identity(carolPage)).toBe('carol')
    expect(await carolPage.getByTestId('qty-tea').textContent()).toBe('2')
    expect(await cartTotal(carolPage)).toBe('EUR 9.30')
  })

  it('keeps the login and the cart when the server process restarts', async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, 'restart')
    const exitCode = await server.stop()
    server = await startDemo(options)
    expect(exitCode).toBe(0)
    expect(statSync(options.persistFile).size).toBeGreaterThan(0)

    await carolPage.goto(`${expressUrl}/cart`)
    expect(await identity(carolPage)).toBe('carol')
    expect(await carolPage.getByTestId('qty-tea').textContent()).toBe('2')
    expect(await cartTotal(carolPage)).toBe('EUR 9.30')
  })

  it('shows the same session and cart on the Koa app', async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, 'koa')
    await carolPage.goto(`${expressUrl}/inspector`)
    const expressDigest = await carolPage.getByTestId('digest').textContent()

    await carolPage.goto(`${koaUrl}/cart`)
    expect(await carolPage.getByTestId('framework').textContent()).toBe('Koa')
    expect(await identity(carolPage)).toBe('carol')
    expect(await cartTotal(carolPage)).toBe('EUR 9.30')
    await carolPage.goto(`${koaUrl}/inspector`)
    expect(await carolPage.getByTestId('digest').textContent()).toBe(expressDigest)
    expect(await carolPage.getByTestId('data-tree').textContent()).toContain('Decimal')
  })

  it('signs the other browser out when the user signs out everywhere else', async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, 'sign-out-others')
    const second = await newContext()
    const secondPage = await second.newPage()
    await signIn(secondPage, koaUrl, 'carol', 'carol-pass')
    expect(await identity(secondPage)).toBe('carol')

    await carolPage.goto(`${expressUrl}/sessions`)
    expect(await carolPage.getByTestId('session-current').count()).toBe(1)
    expect(await carolPage.getByTestId('session-other').count()).toBe(1)
    expect(await carolPage.getByTestId('session-other').textContent()).toContain('Chrome')
    await carolPage.getByTestId('sign-out-others').click()
    await carolPage.waitForURL(/\/sessions\?signedOut=1$/)
    expect(await carolPage.getByTestId('session-other').count()).toBe(0)

    const next = await secondPage.reload()
    expect(next?.status()).toBe(200)
    expect(await identity(secondPage)).toBe('anonymous')
    await carolPage.goto(`${expressUrl}/cart`)
    expect(await identity(carolPage)).toBe('carol')
    expect(await cartTotal(carolPage)).toBe('EUR 9.30')
  })

  it('treats a tampered cookie as anonymous without an error page', async ({ onTestFailed }) => {
    screenshotOnFailure(onTestFailed, 'tampered-cookie')
    const [cookie] = await carol.cookies()
    expect(cookie).toBeDefined()
    if (!cookie) return
    const at = cookie.value.length - 3
    const flipped = cookie.value[at] === 'A' ? 'B' : 'A'
    const tampered = await newContext()
    await tampered.addCookies([
      { ...cookie, value: `${cookie.value.slice(0, at)}${flipped}${cookie.value.slice(at + 1)}` },
    ])
    const page = await tampered.newPage()

    const response = await page.goto(`${expressUrl}/cart`)
    expect(response?.status()).toBe(200)
    expect(await identity(page)).toBe('anonymous')
    expect(await page.getByTestId('cart-empty').count()).toBe(1)
    const onKoa = await page.goto(`${koaUrl}/cart`)
    expect(onKoa?.status()).toBe(200)
    expect(await identity(page)).toBe('anonymous')
  })

  it('answers 403 on the admin page to a user without the admin tag, and 200 to an admin', async ({
    onTestFailed,
  }) => {
    screenshotOnFailure(onTestFailed, 'admin')
    const denied = await carolPage.goto(`${expressUrl}/admin`)
    expect(denied?.status()).toBe(403)
    expect(await carolPage.getByTestId('forbidden').count()).toBe(1)
    expect((await carolPage.goto(`${koaUrl}/admin`))?.status()).toBe(403)

    alice = await newContext()
    const alicePage = await alice.newPage()
    await signIn(alicePage, koaUrl, 'alice', 'alice-pass')
    const allowed = await alicePage.goto(`${expressUrl}/admin`)
    expect(allowed?.status()).toBe(200)
    expect(Number(await alicePage.getByTestId('session-count').textContent())).toBeGreaterThanOrEqual(2)
  })
})
