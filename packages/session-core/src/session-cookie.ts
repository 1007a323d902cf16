import { parseCookie, stringifySetCookie } from 'cookie'
import type { ResolvedCookie } from './options.js'

const keep = (value: string): string => value
/** Shared by every parse: values are signed tokens, taken as they are. */
const RAW_VALUES = { decode: keep }

/** The raw value of the cookie `name` in a `Cookie` header, or undefined. Values are not decoded. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header?.includes(name)) return undefined
  return parseCookie(header, RAW_VALUES)[name]
}

/** Whether the cookie must carry `Secure` for this request. */
export function cookieIsSecure(settings: ResolvedCookie, requestSecure: boolean): boolean {
  return settings.secure === 'auto' ? requestSecure : settings.secure
}

function librarySerialize(
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

/** The attributes of a cookie that do not change per request, before and after `Secure`. */
interface Layout {
  middle: string
  tail: string
}

const capitalized = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1)

function layoutOf(settings: ResolvedCookie): Layout {
  return {
    middle: `${settings.domain ? `; Domain=${settings.domain}` : ''}${settings.path ? `; Path=${settings.path}` : ''}${settings.httpOnly ? '; HttpOnly' : ''}`,
    tail: `${settings.partitioned ? '; Partitioned' : ''}${settings.priority ? `; Priority=${capitalized(settings.priority)}` : ''}; SameSite=${capitalized(settings.sameSite)}`,
  }
}

function fastSerialize(
  layout: Layout,
  name: string,
  value: string,
  maxAge: number | undefined,
  secure: boolean,
): string {
  return `${name}=${value}${maxAge === undefined ? '' : `; Max-Age=${maxAge}`}${layout.middle}${secure ? '; Secure' : ''}${layout.tail}`
}

/** Per cookie settings: the checked layout, or null to keep using the library. */
const layouts = new WeakMap<ResolvedCookie, Layout | null>()

/**
 * A `Set-Cookie` value carrying `value`; `maxAge` in seconds or undefined for a browser-session
 * cookie. The first cookie of some settings is written by the `cookie` library, which validates
 * them (a bad domain or path throws there, as always) and checks the attribute layout reused by
 * later calls: the library re-validated the same settings with regular expressions and built an
 * options object per cookie. Values are the manager's own (base64url and `.`, or empty).
 */
export function serializeCookie(
  settings: ResolvedCookie,
  value: string,
  maxAge: number | undefined,
  secure: boolean,
): string {
  const layout = layouts.get(settings)
  if (layout === undefined) {
    const checked = librarySerialize(settings, value, maxAge, secure)
    const candidate = layoutOf(settings)
    const same = fastSerialize(candidate, settings.name, value, maxAge, secure) === checked
    layouts.set(settings, same ? candidate : null)
    return checked
  }
  if (layout === null || (maxAge !== undefined && !Number.isInteger(maxAge))) {
    return librarySerialize(settings, value, maxAge, secure)
  }
  return fastSerialize(layout, settings.name, value, maxAge, secure)
}

/** A `Set-Cookie` value that removes the session cookie (`Max-Age=0`, same `Path` and `Domain`). */
export function serializeClearingCookie(settings: ResolvedCookie, secure: boolean): string {
  return serializeCookie(settings, '', 0, secure)
}
