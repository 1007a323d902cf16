import { parseCookie, stringifySetCookie } from 'cookie'
import type { ResolvedCookie } from './options.js'

const keep = (value: string): string => value

/** The raw value of the cookie `name` in a `Cookie` header, or undefined. Values are not decoded. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header?.includes(name)) return undefined
  return parseCookie(header, { decode: keep })[name]
}

/** Whether the cookie must carry `Secure` for this request. */
export function cookieIsSecure(settings: ResolvedCookie, requestSecure: boolean): boolean {
  return settings.secure === 'auto' ? requestSecure : settings.secure
}

/** A `Set-Cookie` value carrying `value`; `maxAge` in seconds or undefined for a browser-session cookie. */
export function serializeCookie(
  settings: ResolvedCookie,
  value: string,
  maxAge: number | undefined,
  secure: boolean,
): string {
  return stringifySetCookie(
    {
      name: settings.name,
      value,
      path: settings.path,
      httpOnly: settings.httpOnly,
      sameSite: settings.sameSite,
      secure,
      partitioned: settings.partitioned,
      ...(maxAge === undefined ? {} : { maxAge }),
      ...(settings.domain === undefined ? {} : { domain: settings.domain }),
      ...(settings.priority === undefined ? {} : { priority: settings.priority }),
    },
    { encode: keep },
  )
}

/** A `Set-Cookie` value that removes the session cookie (`Max-Age=0`, same `Path` and `Domain`). */
export function serializeClearingCookie(settings: ResolvedCookie, secure: boolean): string {
  return serializeCookie(settings, '', 0, secure)
}
