// Obtains session cookies for S1/S2: GET /init writes n = 1, and a GET /read with the cookie
// must answer 1, which proves the session round trip works before anything is measured.

/** A response body as one short line of text (HTML error pages reduced to their words). */
function gist(body) {
  return body
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120)
}

function cookieHeader(response) {
  return response.headers
    .getSetCookie()
    .map((line) => line.split(';', 1)[0])
    .join('; ')
}

/** Returns `count` cookie headers, each for its own fresh session; throws when a check fails. */
export async function obtainSessionCookies(port, count) {
  const base = `http://127.0.0.1:${port}`
  const cookies = []
  for (let i = 0; i < count; i++) {
    const init = await fetch(`${base}/init`)
    await init.text()
    const cookie = cookieHeader(init)
    if (init.status !== 200 || cookie === '') {
      throw new Error(`GET /init answered ${init.status} with no session cookie`)
    }
    const read = await fetch(`${base}/read`, { headers: { cookie } })
    const body = await read.text()
    if (read.status !== 200 || body !== '1') {
      throw new Error(
        `GET /read with the /init cookie answered ${read.status} '${gist(body)}', expected 200 '1'`,
      )
    }
    cookies.push(cookie)
  }
  return cookies
}

/** Checks that a request without a cookie to /write answers 200 and sets a cookie (S3 sanity). */
export async function checkNewSession(port) {
  const response = await fetch(`http://127.0.0.1:${port}/write`)
  const body = await response.text()
  if (response.status !== 200 || cookieHeader(response) === '') {
    throw new Error(`GET /write without cookie answered ${response.status} '${gist(body)}' with no cookie`)
  }
}

/** Reads the counter of the session behind `cookie` (after S2 it must have grown past 1). */
export async function readCounter(port, cookie) {
  const response = await fetch(`http://127.0.0.1:${port}/read`, { headers: { cookie } })
  return Number(await response.text())
}
