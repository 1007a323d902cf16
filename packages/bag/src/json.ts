import { Bag } from './bag.js'
import type { BagNode } from './bag-node.js'
import { BagError } from './errors.js'
import {
  checkTextSize,
  hydrate,
  type JsonPrepContext,
  type JsonWriteContext,
  parseJsonText,
  prepareJson,
  prepareJsonObject,
  writeJsonObject,
  writeJsonString,
  writeJsonValue,
} from './json-text.js'
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_INPUT_BYTES, type ParseLimits } from './limits.js'
import { hasUnescapedDot } from './path.js'
import { resolverFromDescriptor } from './resolver.js'
import { checkLabel } from './tytx.js'
import { createAttrs, isPlainObject, isTypedScalar } from './values.js'

/** Options of `Bag.toJson`. */
export interface ToJsonOptions {
  /** Write typed scalars as TYTX strings and append `::JS` when any occurred (default true). */
  typed?: boolean
  /** Maximum nesting depth (default 512). */
  maxDepth?: number
}

/** Options of `Bag.fromJson`. */
export interface FromJsonOptions extends ParseLimits {
  /** Join lists made only of strings into one string with this separator. */
  listJoiner?: string
  /**
   * Skip `resolver` descriptors instead of rebuilding them (a descriptor of a class nobody
   * registered is otherwise a `PARSE_ERROR`).
   * @default false
   */
  ignoreResolvers?: boolean
}

/** Serializes to the reference JSON node format (SPEC §12.2). */
export function bagToJson(bag: Bag, opts?: ToJsonOptions): string {
  const ctx: JsonWriteContext = {
    typed: opts?.typed !== false,
    maxDepth: opts?.maxDepth ?? DEFAULT_MAX_DEPTH,
    sawTyped: false,
  }
  if (ctx.typed) {
    const fast = toJsonNative(bag, ctx.maxDepth)
    if (fast !== null) return fast
  }
  const out = writeNodes(bag, ctx, 0)
  return ctx.sawTyped ? `${out}::JS` : out
}

/** Typed JSON through one native `JSON.stringify`; null when a value needs the hand-written writer. */
function toJsonNative(bag: Bag, maxDepth: number): string | null {
  const ctx: JsonPrepContext = { maxDepth, sawTyped: false, manual: false }
  const root: unknown[] = []
  const stack: [Bag, unknown[], number][] = [[bag, root, 0]]
  while (stack.length > 0) {
    const [src, out, depth] = stack.pop() as [Bag, unknown[], number]
    if (depth >= maxDepth) throw new BagError('DEPTH_LIMIT', `Bag nested deeper than ${maxDepth}`)
    for (const n of src._nodes) {
      if (n.label.indexOf('.') >= 0) checkLabel(n.label)
      const v = n._value
      let value: unknown
      if (v instanceof Bag) {
        const children: unknown[] = []
        stack.push([v, children, depth + 1])
        value = children
      } else value = prepareJson(v, ctx, depth + 1)
      const item: Record<string, unknown> = {
        label: n.label,
        value,
        attr: n._attr === null ? {} : prepareJsonObject(n._attr, ctx, depth + 1),
      }
      if (n._tag !== null) item.tag = n._tag
      if (n._resolver !== null) {
        const descriptor = n._resolver.toDescriptor()
        if (descriptor !== null) item.resolver = prepareJsonObject({ ...descriptor }, ctx, depth + 1)
      }
      out.push(item)
    }
  }
  if (ctx.manual) return null
  const text = JSON.stringify(root)
  return ctx.sawTyped ? `${text}::JS` : text
}

function writeNodes(bag: Bag, ctx: JsonWriteContext, depth: number): string {
  if (depth >= ctx.maxDepth) throw new BagError('DEPTH_LIMIT', `Bag nested deeper than ${ctx.maxDepth}`)
  let out = '['
  const nodes = bag._nodes
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i] as BagNode
    if (n.label.indexOf('.') >= 0) checkLabel(n.label)
    const v = n._value
    if (i > 0) out += ','
    out += `{"label":${JSON.stringify(n.label)},"value":`
    out += v instanceof Bag ? writeNodes(v, ctx, depth + 1) : writeJsonValue(v, ctx, depth + 1)
    out += `,"attr":${n._attr === null ? '{}' : writeJsonObject(n._attr, ctx, depth + 1)}`
    if (n._tag !== null) out += `,"tag":${writeJsonString(n._tag, { ...ctx, typed: false })}`
    if (n._resolver !== null) {
      const descriptor = n._resolver.toDescriptor()
      if (descriptor !== null) out += `,"resolver":${writeJsonObject({ ...descriptor }, ctx, depth + 1)}`
    }
    out += '}'
  }
  return `${out}]`
}

interface ReadContext {
  maxDepth: number
  listJoiner: string | undefined
  ignoreResolvers: boolean
}

/** Builds a Bag from JSON text or a parsed value (SPEC §12.2 reading rules). */
export function bagFromJson(source: unknown, opts?: FromJsonOptions): Bag {
  const maxDepth = opts?.maxDepth ?? DEFAULT_MAX_DEPTH
  let value = source
  if (typeof source === 'string') {
    checkTextSize(source, opts?.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES)
    let text = source.trimEnd()
    if (text.endsWith('::JS')) text = text.slice(0, -4)
    value = hydrate(parseJsonText(text, maxDepth), maxDepth * 2 + 8, 0)
  }
  const ctx: ReadContext = {
    maxDepth,
    listJoiner: opts?.listJoiner,
    ignoreResolvers: opts?.ignoreResolvers === true,
  }
  if (Array.isArray(value))
    return isNodeList(value) ? nodesToBag(value, ctx, 1) : listToBag(value, 'r', ctx, 1)
  if (isPlainObject(value)) return objectToBag(value, ctx, 1)
  const bag = new Bag()
  bag.set('value', scalar(value))
  return bag
}

function scalar(v: unknown): unknown {
  if (v === undefined) return null
  if (typeof v === 'object' && v !== null && !isTypedScalar(v) && !(v instanceof Uint8Array)) {
    throw new BagError('PARSE_ERROR', 'unsupported value in JSON input')
  }
  return v
}

function isNodeList(list: readonly unknown[]): boolean {
  const first = list[0]
  return isPlainObject(first) && Object.hasOwn(first, 'label')
}

function checkDepth(depth: number, ctx: ReadContext): void {
  if (depth > ctx.maxDepth) throw new BagError('DEPTH_LIMIT', `input nested deeper than ${ctx.maxDepth}`)
}

function convert(v: unknown, key: string, ctx: ReadContext, depth: number): unknown {
  if (Array.isArray(v)) {
    if (ctx.listJoiner !== undefined && v.length > 0 && v.every((x) => typeof x === 'string')) {
      return v.join(ctx.listJoiner)
    }
    return isNodeList(v) ? nodesToBag(v, ctx, depth) : listToBag(v, key, ctx, depth)
  }
  if (isPlainObject(v)) return objectToBag(v, ctx, depth)
  return scalar(v)
}

function listToBag(list: readonly unknown[], prefix: string, ctx: ReadContext, depth: number): Bag {
  checkDepth(depth, ctx)
  const bag = new Bag()
  for (let i = 0; i < list.length; i++) {
    bag._insertNew(`${prefix}_${i}`, convert(list[i], 'r', ctx, depth + 1), null, undefined, undefined)
  }
  return bag
}

function objectToBag(obj: Record<string, unknown>, ctx: ReadContext, depth: number): Bag {
  checkDepth(depth, ctx)
  const bag = new Bag()
  for (const k of Object.keys(obj)) {
    if (k.charCodeAt(0) === 35) throw new BagError('PARSE_ERROR', `JSON key cannot start with '#': ${k}`)
    if (k.trim() === '' || k.indexOf('?') >= 0) {
      bag._insertNew(k, convert(obj[k], k, ctx, depth + 1), null, undefined, undefined)
      continue
    }
    bag.set(k, convert(obj[k], k, ctx, depth + 1))
  }
  return bag
}

function nodesToBag(list: readonly unknown[], ctx: ReadContext, depth: number): Bag {
  checkDepth(depth, ctx)
  const bag = new Bag()
  for (const item of list) {
    if (!isPlainObject(item) || typeof item.label !== 'string' || !Object.hasOwn(item, 'label')) {
      throw new BagError('PARSE_ERROR', 'JSON node list items must be objects with a string label')
    }
    const label = item.label
    const raw = Object.hasOwn(item, 'value') ? item.value : null
    let value: unknown
    if (Array.isArray(raw))
      value =
        isNodeList(raw) || raw.length === 0
          ? nodesToBag(raw, ctx, depth + 1)
          : convert(raw, 'r', ctx, depth + 1)
    else value = convert(raw, 'r', ctx, depth + 1)
    const rawAttr = Object.hasOwn(item, 'attr') ? item.attr : null
    let attrs: Record<string, unknown> | null = null
    if (rawAttr !== null && rawAttr !== undefined) {
      if (!isPlainObject(rawAttr)) throw new BagError('PARSE_ERROR', 'JSON node attr must be an object')
      attrs = dropNulls(rawAttr)
    }
    const tag = Object.hasOwn(item, 'tag') ? item.tag : null
    if (tag !== null && tag !== undefined && typeof tag !== 'string')
      throw new BagError('PARSE_ERROR', 'JSON node tag must be a string')
    let node: BagNode
    if (hasUnescapedDot(label)) node = bag.set(label, value, attrs)
    else {
      const existing = bag._lookup(label)
      if (existing) {
        existing._value = value
        if (attrs && Object.keys(attrs).length > 0) existing._attr = attrs
        node = existing
      } else node = bag._insertNew(label, value, attrs, undefined, undefined)
    }
    if (typeof tag === 'string') node._tag = tag
    const descriptor = Object.hasOwn(item, 'resolver') ? item.resolver : null
    if (descriptor !== null && descriptor !== undefined && !ctx.ignoreResolvers) {
      // the stored value stays as the node's static value; the rebuilt resolver has not loaded
      node._setResolver(resolverFromDescriptor(descriptor))
    }
  }
  return bag
}

function dropNulls(o: Record<string, unknown>): Record<string, unknown> {
  const out = createAttrs()
  for (const k of Object.keys(o)) if (o[k] !== null && o[k] !== undefined) out[k] = o[k]
  return out
}
