/** A tiny browser for tests: a cookie jar shared across origins, and manual redirects. */
export class Browser {
  readonly cookies = new Map<string, string>()

  /** Sends a request with the jar's cookies and stores the response's Set-Cookie values. */
  async fetch(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
    const headers = new Headers(init.headers)
    if (this.cookies.size > 0) {
      headers.set('cookie', [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '))
    }
    const response = await fetch(url, { ...init, headers, redirect: 'manual' })
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';')
      const split = pair.indexOf('=')
      const name = pair.slice(0, split).trim()
      if (/;\s*max-age=0(;|$)/i.test(line)) this.cookies.delete(name)
      else this.cookies.set(name, pair.slice(split + 1).trim())
    }
    return response
  }

  /** GET `url` and parse the JSON body. */
  async json<T = SessionView>(url: string, method = 'GET'): Promise<T> {
    const response = await this.fetch(url, { method })
    if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`)
    return (await response.json()) as T
  }

  /** A second browser holding a copy of this one's cookies (a stolen or replayed cookie). */
  clone(): Browser {
    const copy = new Browser()
    for (const [name, value] of this.cookies) copy.cookies.set(name, value)
    return copy
  }
}

/** What the test apps answer about the request's session. */
export interface SessionView {
  identity: string
  tags: string[]
  count: number | null
  /** The labels under `prefs`, sorted, when there are any. */
  prefs?: string[]
}
