import { BagError, toBagError } from './errors.js'
import { decodeTytxString, encodeTypedText, intFromText, looksTyped } from './tytx-codes.js'
import { createAttrs, isPlainObject } from './values.js'

const INT64_MIN = -(2n ** 63n)
const UINT64_MAX = 2n ** 64n - 1n

/** State of one JSON write. */
export interface JsonWriteContext {
  /** Write typed scalars as `text::CODE` (and escape look-alike strings with `::T`). */
  readonly typed: boolean
  /** Deepest nesting allowed. */
  readonly maxDepth: number
  /** Set when a typed value (or an escape) was written. */
  sawTyped: boolean
}

function notSerializable(v: unknown, why?: string): BagError {
  const kind =
    typeof v === 'object' && v !== null
      ? ((v as object).constructor?.name ?? 'object without prototype')
      : typeof v
  return new BagError('NOT_SERIALIZABLE', `cannot serialize a value of type ${kind}${why ? `: ${why}` : ''}`)
}

/** Checks that a bigint fits in 64 bits (signed or unsigned). */
export function checkBigInt(v: bigint): void {
  if (v < INT64_MIN || v > UINT64_MAX) throw notSerializable(v, 'integer does not fit in 64 bits')
}

/** JSON text of a string, escaped with `::T` when a TYTX reader would change it. */
export function writeJsonString(s: string, ctx: JsonWriteContext): string {
  if (ctx.typed && s.indexOf('::') >= 0 && looksTyped(s)) {
    ctx.sawTyped = true
    return JSON.stringify(`${s}::T`)
  }
  return JSON.stringify(s)
}

/**
 * JSON text of a value (not a Bag). Non-finite numbers become `null`.
 * @throws BagError `NOT_SERIALIZABLE` for functions, class instances, bytes, …; `DEPTH_LIMIT`
 */
export function writeJsonValue(v: unknown, ctx: JsonWriteContext, depth: number): string {
  switch (typeof v) {
    case 'string':
      return writeJsonString(v, ctx)
    case 'number':
      if (!Number.isFinite(v)) return 'null'
      // an integral float beyond 2^53 is written with an exponent so that it reads back as a float
      return Number.isInteger(v) && !Number.isSafeInteger(v) ? v.toExponential() : String(v)
    case 'boolean':
      return v ? 'true' : 'false'
    case 'undefined':
      return 'null'
    case 'bigint':
      checkBigInt(v)
      return v.toString()
    case 'object': {
      if (v === null) return 'null'
      if (depth >= ctx.maxDepth) throw new BagError('DEPTH_LIMIT', `value nested deeper than ${ctx.maxDepth}`)
      if (Array.isArray(v)) {
        let out = '['
        for (let i = 0; i < v.length; i++) {
          if (i > 0) out += ','
          out += writeJsonValue(v[i], ctx, depth + 1)
        }
        return `${out}]`
      }
      if (isPlainObject(v)) return writeJsonObject(v, ctx, depth + 1)
      if (ctx.typed) {
        const t = encodeTypedText(v)
        if (t !== null) {
          ctx.sawTyped = true
          return JSON.stringify(t)
        }
      }
      throw notSerializable(v, ctx.typed ? undefined : 'untyped JSON carries only JSON values')
    }
    default:
      throw notSerializable(v)
  }
}

/** JSON text of a plain object / attribute map. */
export function writeJsonObject(o: Record<string, unknown>, ctx: JsonWriteContext, depth: number): string {
  let out = '{'
  let first = true
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue
    const v = o[k]
    if (v === undefined) continue
    if (!first) out += ','
    first = false
    out += `${JSON.stringify(k)}:${writeJsonValue(v, ctx, depth)}`
  }
  return `${out}}`
}

/**
 * Converts a parsed JSON value: TYTX strings decoded, objects rebuilt without prototype.
 * @throws BagError `DEPTH_LIMIT` beyond `maxDepth`, `PARSE_ERROR` for bad typed strings
 */
export function hydrate(v: unknown, maxDepth: number, depth: number): unknown {
  if (typeof v === 'string') return v.indexOf('::') >= 0 ? decodeTytxString(v) : v
  if (typeof v !== 'object' || v === null) return v
  if (depth >= maxDepth) throw new BagError('DEPTH_LIMIT', `input nested deeper than ${maxDepth}`)
  if (Array.isArray(v)) {
    const out = new Array<unknown>(v.length)
    for (let i = 0; i < v.length; i++) out[i] = hydrate(v[i], maxDepth, depth + 1)
    return out
  }
  return hydrateObject(v as Record<string, unknown>, maxDepth, depth + 1, false)
}

/** Rebuilds an object without prototype, decoding values; `dropNull` skips null values. */
export function hydrateObject(
  o: Record<string, unknown>,
  maxDepth: number,
  depth: number,
  dropNull: boolean,
): Record<string, unknown> {
  const out = createAttrs()
  for (const k of Object.keys(o)) {
    const v = hydrate(o[k], maxDepth, depth)
    if (dropNull && v === null) continue
    out[k] = v
  }
  return out
}

/** UTF-8 byte length of a string (exact). */
export function utf8Length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/** Throws `SIZE_LIMIT` when a text input is larger than `maxBytes` (UTF-8). */
export function checkTextSize(text: string, maxBytes: number): void {
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
    throw new BagError('SIZE_LIMIT', `input larger than maxInputBytes (${maxBytes})`)
  }
}

const BIG_DIGITS = /\d{16}/

/**
 * Parses JSON text; integers beyond ±(2^53−1) become bigint. Malformed text → `PARSE_ERROR`.
 */
export function parseJsonText(text: string, maxDepth: number): unknown {
  try {
    if (!BIG_DIGITS.test(text)) return JSON.parse(text)
    return parseLossless(text, maxDepth)
  } catch (error) {
    throw toBagError(error, 'PARSE_ERROR', 'malformed JSON')
  }
}

/** An iterative JSON parser that keeps big integers as bigint (used only when needed). */
function parseLossless(text: string, maxDepth: number): unknown {
  let i = 0
  const n = text.length
  const bad = (): never => {
    throw new BagError('PARSE_ERROR', `malformed JSON at offset ${i}`)
  }
  const ws = (): void => {
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 32 || c === 9 || c === 10 || c === 13) i++
      else break
    }
  }
  const str = (): string => {
    const start = i
    i++
    let simple = true
    while (i < n) {
      const c = text.charCodeAt(i)
      if (c === 34) break
      if (c === 92) {
        simple = false
        i += 2
        continue
      }
      if (c < 32) bad()
      i++
    }
    if (i >= n) bad()
    i++
    const raw = text.slice(start, i)
    return simple ? raw.slice(1, -1) : (JSON.parse(raw) as string)
  }
  const NUM = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
  const num = (): number | bigint => {
    NUM.lastIndex = i
    const m = NUM.exec(text)
    if (!m) return bad()
    i += m[0].length
    const t = m[0]
    if (/^-?\d+$/.test(t)) return intFromText(t)
    return Number(t)
  }
  type Frame = {
    arr: unknown[] | null
    obj: Record<string, unknown> | null
    key: string | null
    count: number
  }
  const stack: Frame[] = []
  let result: unknown
  let has = false
  const put = (v: unknown): void => {
    const top = stack[stack.length - 1]
    if (!top) {
      result = v
      has = true
    } else if (top.arr) {
      top.arr.push(v)
      top.count++
    } else {
      top.count++
      ;(top.obj as Record<string, unknown>)[top.key as string] = v
      top.key = null
    }
  }
  for (;;) {
    ws()
    if (i >= n) break
    const top = stack[stack.length - 1]
    let c = text.charCodeAt(i)
    if (top) {
      const empty = top.count === 0
      if (c === (top.arr ? 93 : 125)) {
        i++
        stack.pop()
        put(top.arr ?? top.obj)
        if (stack.length === 0) break
        continue
      }
      if (!empty || top.key !== null) {
        if (top.key === null) {
          if (c !== 44) bad()
          i++
          ws()
          c = text.charCodeAt(i)
        }
      }
      if (top.obj && top.key === null) {
        if (c !== 34) bad()
        const key = str()
        ws()
        if (text.charCodeAt(i) !== 58) bad()
        i++
        top.key = key
        continue
      }
    } else if (has) bad()
    if (c === 123 || c === 91) {
      if (stack.length >= maxDepth * 2 + 8) throw new BagError('DEPTH_LIMIT', 'JSON nested too deeply')
      i++
      stack.push(
        c === 91
          ? { arr: [], obj: null, key: null, count: 0 }
          : { arr: null, obj: createAttrs(), key: null, count: 0 },
      )
      continue
    }
    if (c === 34) put(str())
    else if (c === 45 || (c >= 48 && c <= 57)) put(num())
    else if (text.startsWith('true', i)) {
      i += 4
      put(true)
    } else if (text.startsWith('false', i)) {
      i += 5
      put(false)
    } else if (text.startsWith('null', i)) {
      i += 4
      put(null)
    } else bad()
    if (stack.length === 0) break
  }
  ws()
  if (stack.length > 0 || !has || i < n) bad()
  return result
}

/** State of a native-JSON preparation pass. */
export interface JsonPrepContext {
  /** Deepest nesting allowed. */
  readonly maxDepth: number
  /** Set when a typed value (or an escape) occurred. */
  sawTyped: boolean
  /** Set when a value needs the hand-written writer (bigint, integral float beyond 2^53). */
  manual: boolean
}

/**
 * Returns a value `JSON.stringify` writes as TYTX JSON (typed scalars as `text::CODE`, look-alike
 * strings escaped); the same reference when nothing changes.
 * @throws BagError `NOT_SERIALIZABLE`, `DEPTH_LIMIT`
 */
export function prepareJson(v: unknown, ctx: JsonPrepContext, depth: number): unknown {
  switch (typeof v) {
    case 'string':
      if (v.indexOf('::') >= 0 && looksTyped(v)) {
        ctx.sawTyped = true
        return `${v}::T`
      }
      return v
    case 'number':
      if (Number.isInteger(v) && !Number.isSafeInteger(v)) ctx.manual = true
      return v
    case 'boolean':
      return v
    case 'undefined':
      return null
    case 'bigint':
      checkBigInt(v)
      ctx.manual = true
      return null
    case 'object': {
      if (v === null) return null
      if (depth >= ctx.maxDepth) throw new BagError('DEPTH_LIMIT', `value nested deeper than ${ctx.maxDepth}`)
      if (Array.isArray(v)) {
        let out: unknown[] | null = null
        for (let i = 0; i < v.length; i++) {
          const x = v[i] as unknown
          const p = prepareJson(x, ctx, depth + 1)
          if (p !== x && out === null) out = v.slice(0, i)
          if (out !== null) out.push(p)
        }
        return out ?? v
      }
      if (isPlainObject(v)) return prepareJsonObject(v, ctx, depth + 1)
      const t = encodeTypedText(v)
      if (t !== null) {
        ctx.sawTyped = true
        return t
      }
      throw notSerializable(v)
    }
    default:
      throw notSerializable(v)
  }
}

/** {@link prepareJson} for an attribute map / plain object (undefined members dropped). */
export function prepareJsonObject(
  o: Record<string, unknown>,
  ctx: JsonPrepContext,
  depth: number,
): Record<string, unknown> {
  let out: Record<string, unknown> | null = null
  const keys = Object.keys(o)
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string
    const x = o[k]
    const p = x === undefined ? undefined : prepareJson(x, ctx, depth)
    if (p !== x && out === null) {
      out = createAttrs()
      for (let j = 0; j < i; j++) out[keys[j] as string] = o[keys[j] as string]
    }
    if (out !== null && p !== undefined) out[k] = p
  }
  return out ?? o
}
