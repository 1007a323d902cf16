import { Bag } from './bag.js'
import { BagNode } from './bag-node.js'
import { BagError } from './errors.js'
import {
  checkTextSize,
  hydrate,
  hydrateObject,
  type JsonPrepContext,
  type JsonWriteContext,
  parseJsonText,
  prepareJson,
  prepareJsonObject,
  writeJsonObject,
  writeJsonValue,
} from './json-text.js'
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_INPUT_BYTES, type ParseLimits } from './limits.js'
import {
  fromPacked,
  packDocument,
  packedMap,
  prepareObject,
  prepareValue,
  unpackDocument,
} from './msgpack-codec.js'
import { hasUnescapedDot } from './path.js'
import { isPlainObject } from './values.js'

/** Options of `Bag.toTytx`. */
export interface ToTytxOptions {
  /** `'json'` (default) returns text; `'msgpack'` returns bytes. */
  transport?: 'json' | 'msgpack'
  /** Parents as integer codes plus a `paths` map. */
  compact?: boolean
  /** JSON only: omit the trailing `::JS` marker (the form the reference writes to files). */
  file?: boolean
  /** Maximum nesting depth (default 512). */
  maxDepth?: number
}

/** Options of `Bag.fromTytx`. */
export interface FromTytxOptions extends ParseLimits {}

const BRANCH = '::X'
const NULL = '::NN'

/** Labels with a real (unescaped) dot would nest when read back: refuse them. */
export function checkLabel(label: string): void {
  if (hasUnescapedDot(label)) {
    throw new BagError(
      'NOT_SERIALIZABLE',
      `label ${JSON.stringify(label)} holds a dot: it would nest when read back`,
    )
  }
}

interface Frame {
  bag: Bag
  path: string
  code: number | null
  i: number
}

/** Serializes a Bag to TYTX rows (SPEC §12.3). */
export function bagToTytx(bag: Bag, opts?: ToTytxOptions): string | Uint8Array {
  const maxDepth = opts?.maxDepth ?? DEFAULT_MAX_DEPTH
  const compact = opts?.compact === true
  if (opts?.transport === 'msgpack') return toMsgpack(bag, compact, maxDepth)
  const fast = toJsonNative(bag, compact, maxDepth, opts?.file === true)
  if (fast !== null) return fast
  const ctx: JsonWriteContext = { typed: true, maxDepth, sawTyped: false }
  let out = '{"rows":['
  let first = true
  let paths = ''
  let nextCode = 0
  const frames: Frame[] = [{ bag, path: '', code: null, i: 0 }]
  while (frames.length > 0) {
    const f = frames[frames.length - 1] as Frame
    const nodes = f.bag._nodes
    if (f.i >= nodes.length) {
      frames.pop()
      continue
    }
    const n = nodes[f.i++] as BagNode
    if (n.label.indexOf('.') >= 0) checkLabel(n.label)
    const v = n._value
    let row = first ? '[' : ',['
    first = false
    row += compact ? (f.code === null ? 'null' : String(f.code)) : JSON.stringify(f.path)
    row += `,${JSON.stringify(n.label)},${n._tag === null ? 'null' : JSON.stringify(n._tag)},`
    if (v instanceof Bag) {
      row += '"::X"'
      if (frames.length >= maxDepth) throw new BagError('DEPTH_LIMIT', `Bag nested deeper than ${maxDepth}`)
      const path = f.path === '' ? n.label : `${f.path}.${n.label}`
      let code: number | null = null
      if (compact) {
        code = nextCode++
        paths += `${code === 0 ? '' : ','}"${code}":${JSON.stringify(path)}`
      }
      frames.push({ bag: v, path, code, i: 0 })
    } else if (v === null || v === undefined) {
      row += '"::NN"'
    } else {
      row += writeJsonValue(v, ctx, 1)
    }
    row += n._attr === null ? ',{}]' : `,${writeJsonObject(n._attr, ctx, 1)}]`
    out += row
  }
  out += compact ? `],"paths":{${paths}}}` : ']}'
  if (ctx.sawTyped && opts?.file !== true) out += '::JS'
  return out
}

/** TYTX JSON through one native `JSON.stringify`; null when a value needs the hand-written writer. */
function toJsonNative(bag: Bag, compact: boolean, maxDepth: number, file: boolean): string | null {
  const ctx: JsonPrepContext = { maxDepth, sawTyped: false, manual: false }
  const doc = prepareRows(bag, compact, maxDepth, ctx)
  if (ctx.manual) return null
  const out = JSON.stringify(doc)
  return ctx.sawTyped && !file ? `${out}::JS` : out
}

function toMsgpack(bag: Bag, compact: boolean, maxDepth: number): Uint8Array {
  return packDocument(prepareRows(bag, compact, maxDepth, null))
}

/** The attributes of a node without any, shared: a prepared document is only ever serialized. */
const NO_ATTRS = Object.freeze({})

/**
 * The TYTX document (`{ rows }`, plus `paths` when compact) with values prepared for native
 * `JSON.stringify` (`json` given) or for msgpack (`json` null).
 */
function prepareRows(
  bag: Bag,
  compact: boolean,
  maxDepth: number,
  json: JsonPrepContext | null,
): { rows: unknown[]; paths?: Record<string, string> } {
  const rows: unknown[] = []
  const paths: Record<string, string> | undefined = compact ? {} : undefined
  let nextCode = 0
  const frames: Frame[] = [{ bag, path: '', code: null, i: 0 }]
  while (frames.length > 0) {
    const f = frames[frames.length - 1] as Frame
    const nodes = f.bag._nodes
    if (f.i >= nodes.length) {
      frames.pop()
      continue
    }
    const n = nodes[f.i++] as BagNode
    if (n.label.indexOf('.') >= 0) checkLabel(n.label)
    const v = n._value
    let value: unknown
    if (v instanceof Bag) {
      value = BRANCH
      if (frames.length >= maxDepth) throw new BagError('DEPTH_LIMIT', `Bag nested deeper than ${maxDepth}`)
      const path = f.path === '' ? n.label : `${f.path}.${n.label}`
      let code: number | null = null
      if (paths !== undefined) {
        code = nextCode++
        paths[String(code)] = path
      }
      frames.push({ bag: v, path, code, i: 0 })
    } else if (v === null || v === undefined) {
      value = NULL
    } else {
      value = json !== null ? prepareJson(v, json, 1) : prepareValue(v, maxDepth, 1)
    }
    const a = n._attr
    const attrs =
      a === null ? NO_ATTRS : json !== null ? prepareJsonObject(a, json, 1) : prepareObject(a, maxDepth, 1)
    rows.push([compact ? f.code : f.path, n.label, n._tag, value, attrs])
  }
  return paths !== undefined ? { rows, paths } : { rows }
}

/** The top-level document as a Map-like getter (objects or Maps from the decoder). */
function packedDocument(doc: unknown): Map<unknown, unknown> | null {
  if (doc instanceof Map) return doc
  if (typeof doc === 'object' && doc !== null && Object.getPrototypeOf(doc) === Object.prototype) {
    return new Map(Object.entries(doc))
  }
  return null
}

interface Target {
  bag: Bag
  depth: number
}

/** Rebuilds a Bag from TYTX JSON text or TYTX msgpack bytes. */
export function bagFromTytx(data: string | Uint8Array, opts?: FromTytxOptions): Bag {
  const maxDepth = opts?.maxDepth ?? DEFAULT_MAX_DEPTH
  const maxBytes = opts?.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES
  if (typeof data === 'string') {
    checkTextSize(data, maxBytes)
    let text = data.trimEnd()
    if (text.endsWith('::JS')) text = text.slice(0, -4)
    const doc = parseJsonText(text, maxDepth)
    if (!isPlainObject(doc)) throw new BagError('PARSE_ERROR', 'TYTX document must be an object with rows')
    const rows = Object.hasOwn(doc, 'rows') ? doc.rows : undefined
    const paths = Object.hasOwn(doc, 'paths') ? doc.paths : undefined
    return buildFromRows(rows, paths, maxDepth, false)
  }
  if (!(data instanceof Uint8Array)) throw new BagError('PARSE_ERROR', 'TYTX input must be a string or bytes')
  if (data.byteLength > maxBytes)
    throw new BagError('SIZE_LIMIT', `input larger than maxInputBytes (${maxBytes})`)
  const doc = packedDocument(unpackDocument(data))
  if (doc === null) throw new BagError('PARSE_ERROR', 'TYTX document must be a map with rows')
  const paths = doc.get('paths')
  return buildFromRows(
    doc.get('rows'),
    paths === undefined || paths === null ? paths : (packedMap(paths, 4, 0, false) ?? paths),
    maxDepth,
    true,
  )
}

function buildFromRows(rows: unknown, paths: unknown, maxDepth: number, packed: boolean): Bag {
  if (!Array.isArray(rows)) throw new BagError('PARSE_ERROR', 'TYTX document has no rows array')
  if (paths !== undefined && paths !== null && !isPlainObject(paths)) {
    throw new BagError('PARSE_ERROR', 'TYTX paths must be an object')
  }
  const codePaths = (paths ?? null) as Record<string, unknown> | null
  const root = new Bag()
  const rootTarget: Target = { bag: root, depth: 0 }
  const registry = new Map<string, Target>([['', rootTarget]])
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as unknown
    if (!Array.isArray(row) || row.length !== 5)
      throw new BagError('PARSE_ERROR', `TYTX row ${r} must have 5 items`)
    const [parent, label, tag, rawValue, rawAttrs] = row as [unknown, unknown, unknown, unknown, unknown]
    let key: string
    if (parent === null) key = ''
    else if (typeof parent === 'string') key = parent
    else if (typeof parent === 'number' && Number.isInteger(parent) && codePaths !== null) {
      const p = Object.hasOwn(codePaths, String(parent)) ? codePaths[String(parent)] : undefined
      if (typeof p !== 'string')
        throw new BagError('PARSE_ERROR', `TYTX row ${r}: unknown parent code ${parent}`)
      key = p
    } else throw new BagError('PARSE_ERROR', `TYTX row ${r}: bad parent`)
    if (typeof label !== 'string') throw new BagError('PARSE_ERROR', `TYTX row ${r}: label must be a string`)
    if (tag !== null && typeof tag !== 'string')
      throw new BagError('PARSE_ERROR', `TYTX row ${r}: tag must be a string or null`)
    let target = registry.get(key)
    if (target === undefined) {
      target = rootTarget
      key = ''
    }
    let value: unknown
    let isBranch = false
    if (rawValue === '::X') {
      value = new Bag()
      isBranch = true
    } else if (rawValue === '::NN') value = null
    else value = packed ? fromPacked(rawValue, maxDepth, 1) : hydrate(rawValue, maxDepth, 1)
    let attrs: Record<string, unknown> | null = null
    if (rawAttrs !== null && rawAttrs !== undefined) {
      if (packed) {
        attrs = packedMap(rawAttrs, maxDepth, 1, true)
        if (attrs === null) throw new BagError('PARSE_ERROR', `TYTX row ${r}: attrs must be a map`)
      } else {
        if (!isPlainObject(rawAttrs))
          throw new BagError('PARSE_ERROR', `TYTX row ${r}: attrs must be an object`)
        attrs = hydrateObject(rawAttrs, maxDepth, 1, true)
      }
      if (attrs !== null && Object.keys(attrs).length === 0) attrs = null
    }
    const bag = target.bag
    let node: BagNode
    let depth = target.depth + 1
    if (hasUnescapedDot(label)) {
      node = bag.set(label, value, attrs)
      depth += label.split('.').length - 1
    } else {
      const existing = bag._lookup(label)
      if (existing !== undefined) {
        node = existing
        node._value = value
        if (attrs !== null) node._attr = attrs
      } else {
        node = new BagNode(label)
        node._parentBag = bag
        node._value = value
        node._attr = attrs
        bag._nodes.push(node)
        bag._labels?.set(label, node)
      }
    }
    if (tag !== null) node._tag = tag as string
    if (isBranch) {
      if (depth > maxDepth) throw new BagError('DEPTH_LIMIT', `input nested deeper than ${maxDepth}`)
      registry.set(key === '' ? label : `${key}.${label}`, { bag: value as Bag, depth })
    }
  }
  return root
}
