import { Bag } from './bag.js'
import type { BagNode } from './bag-node.js'
import { Decimal } from './decimal.js'
import { BagError } from './errors.js'
import { PlainDate } from './plain-date.js'
import { PlainTime } from './plain-time.js'
import { itemOf, selectStatic } from './query-select.js'
import { isPlainObject, valuesEqual } from './values.js'

/**
 * One column of a query: `'#k'` label, `'#v'` value, `'#v.<path>'` value inside a Bag value,
 * `'#__v'` static value, `'#a'` attribute map, `'#a.<name>'` one attribute, `'#p'` dotted path,
 * `'#n'` the node, any other word `value[word]` of a Bag or plain-object value; or a function of
 * the node.
 */
export type QuerySpecifier = string | ((node: BagNode) => unknown)

/** Options of `bag.query()`. */
export interface QueryOptions {
  /** Recurse depth-first (pre-order) instead of the first level only; `#v` of a branch is then null. */
  deep?: boolean
  /** Include leaf nodes (default true). */
  leaf?: boolean
  /** Include branch nodes (default true). Filters the output only: recursion still descends. */
  branch?: boolean
  /** Keep only nodes for which this returns true. */
  condition?: (node: BagNode) => boolean
  /** Stop after this many results (also across recursion). */
  limit?: number
  /** `true` (default): never run resolvers; `false`: read values through synchronous resolvers. */
  static?: boolean
}

/** Options of `bag.digest()`. */
export interface DigestOptions {
  /** Keep only nodes for which this returns true. */
  condition?: (node: BagNode) => boolean
  /** Transpose the rows into one array per column. */
  asColumns?: boolean
}

/** Options of `bag.sum()`. */
export interface SumOptions {
  /** Keep only nodes for which this returns true. */
  condition?: (node: BagNode) => boolean
  /** Sum over the whole tree, not only the first level. */
  deep?: boolean
}

/** A sort key of `bag.sort()`: a `'criterion:mode,…'` string or a function giving a node's key. */
export type SortKey = string | ((node: BagNode) => unknown)

const DEFAULT_WHAT = '#k,#v,#a'

interface QueryFrame {
  nodes: readonly BagNode[]
  index: number
  prefix: string
}

function splitWhat(what: string): string[] {
  return what.split(',').map((w) => w.trim())
}

type Extractor = (node: BagNode, path: string) => unknown

/** Turns one specifier into a function of the node (resolved once per query, not per node). */
function compile(w: QuerySpecifier, deep: boolean, staticRead: boolean): Extractor {
  if (typeof w === 'function') return (node) => w(node)
  const read = staticRead ? (node: BagNode) => node._value : (node: BagNode) => node.value
  if (w === '#k') return (node) => node.label
  if (w === '#p') return (_node, path) => path
  if (w === '#n') return (node) => node
  if (w === '#v') {
    return deep
      ? (node) => {
          const v = read(node)
          return v instanceof Bag ? null : v
        }
      : read
  }
  if (w === '#__v') return (node) => node._value
  if (w.startsWith('#v.')) {
    const sub = w.slice(3)
    return (node) => {
      const v = read(node)
      return v instanceof Bag ? v.get(sub) : undefined
    }
  }
  if (w === '#a') return (node) => node.attr
  if (w.startsWith('#a.')) {
    const name = w.slice(3)
    return (node) => {
      const a = node._attr
      return a !== null && Object.hasOwn(a, name) ? a[name] : undefined
    }
  }
  return (node) => itemOf(read(node), w)
}

/**
 * Selects nodes and extracts columns (SPEC §8.2). With one specifier the result is an array of
 * values; with several (`'#k,#v'` or an array) an array of rows. `'<subpath>:<what>'` queries the
 * Bag at `subpath` (an empty result when that is not a Bag).
 */
export function queryBag(
  bag: Bag,
  what?: string | readonly QuerySpecifier[] | null,
  opts?: QueryOptions,
): unknown[] {
  let target: Bag = bag
  let specs: QuerySpecifier[]
  let single: boolean
  if (what === undefined || what === null || what === '' || (Array.isArray(what) && what.length === 0)) {
    specs = splitWhat(DEFAULT_WHAT)
    single = false
  } else if (typeof what === 'string') {
    let w = what
    const colon = w.indexOf(':')
    if (colon >= 0) {
      const sub = bag.get(w.slice(0, colon))
      if (!(sub instanceof Bag)) return []
      target = sub
      w = w.slice(colon + 1)
    }
    specs = splitWhat(w)
    single = specs.length === 1
  } else {
    specs = [...(what as readonly QuerySpecifier[])]
    single = specs.length === 1
  }
  const deep = opts?.deep === true
  const leaf = opts?.leaf !== false
  const branch = opts?.branch !== false
  const condition = opts?.condition
  const limit = opts?.limit ?? Number.POSITIVE_INFINITY
  const staticRead = opts?.static !== false
  if (limit <= 0) return []
  if (staticRead) return selectStatic(target, specs, { deep, leaf, branch, condition, limit })
  const out: unknown[] = []
  const extractors = specs.map((w) => compile(w, deep, staticRead))
  const one = single ? (extractors[0] as Extractor) : undefined
  const n = extractors.length
  // Iterative pre-order traversal (first level only unless deep).
  const stack: QueryFrame[] = [{ nodes: target._nodes, index: 0, prefix: '' }]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as QueryFrame
    if (frame.index >= frame.nodes.length) {
      stack.pop()
      continue
    }
    const node = frame.nodes[frame.index++] as BagNode
    const path = frame.prefix === '' ? node.label : `${frame.prefix}.${node.label}`
    const value = staticRead ? node._value : node.value
    const isBranch = value instanceof Bag
    if ((isBranch ? branch : leaf) && (condition === undefined || condition(node))) {
      if (one !== undefined) out.push(one(node, path))
      else {
        const row = new Array<unknown>(n)
        for (let i = 0; i < n; i++) row[i] = (extractors[i] as Extractor)(node, path)
        out.push(row)
      }
      if (out.length >= limit) break
    }
    if (deep && isBranch && (value as Bag)._nodes.length > 0) {
      stack.push({ nodes: (value as Bag)._nodes, index: 0, prefix: path })
    }
  }
  return out
}

/**
 * First-level query (SPEC §8.3); with `asColumns` the rows are transposed into one array per
 * column (an empty Bag gives one empty array per requested column).
 */
export function digestBag(
  bag: Bag,
  what?: string | readonly QuerySpecifier[] | null,
  opts?: DigestOptions,
): unknown[] {
  const qopts: QueryOptions = {}
  if (opts?.condition !== undefined) qopts.condition = opts.condition
  const rows = queryBag(bag, what, qopts)
  if (opts?.asColumns !== true) return rows
  let count: number
  if (what === undefined || what === null || what === '') count = 3
  else if (typeof what === 'string') count = splitWhat(what.slice(what.indexOf(':') + 1)).length
  else count = what.length === 0 ? 3 : what.length
  if (count === 1) return [rows]
  const cols: unknown[][] = Array.from({ length: count }, () => [])
  for (const row of rows as unknown[][]) for (let i = 0; i < count; i++) (cols[i] as unknown[]).push(row[i])
  return cols
}

/** `digest(cols, { asColumns: true })`; with `attrMode` every name is read as an attribute. */
export function columnsOf(
  bag: Bag,
  cols: string | readonly string[],
  opts?: { attrMode?: boolean },
): unknown[][] {
  const list = typeof cols === 'string' ? cols.split(',') : [...cols]
  const prefix = opts?.attrMode === true ? '#a.' : ''
  return digestBag(
    bag,
    list.map((c) => `${prefix}${c}`),
    { asColumns: true },
  ) as unknown[][]
}

function toAddend(v: unknown, what: string): number {
  if (v === null || v === undefined) return 0
  if (typeof v === 'number') return v
  if (typeof v === 'boolean') return v ? 1 : 0
  if (typeof v === 'bigint') return Number(v)
  if (v instanceof Decimal) return v.toNumber()
  throw new BagError('INVALID_VALUE', `sum('${what}') met a non-numeric value`)
}

/**
 * Sum of a query column, null counting as 0 (SPEC §8.3); `'#v,#a.qty'` returns one sum per
 * column. Decimals are added as numbers.
 * @throws BagError `INVALID_VALUE` for non-numeric values
 */
export function sumBag(bag: Bag, what = '#v', opts?: SumOptions): number | number[] {
  const qopts: QueryOptions = { deep: opts?.deep === true }
  if (opts?.condition !== undefined) qopts.condition = opts.condition
  const one = (w: string): number => {
    let total = 0
    for (const v of queryBag(bag, [w], qopts)) total += toAddend(v, w)
    return total
  }
  if (what.includes(',')) return what.split(',').map((w) => one(w.trim()))
  return one(what.trim())
}

function kindOf(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof Decimal)
    return 'number'
  if (typeof v === 'string') return 'string'
  if (v instanceof PlainDate) return 'date'
  if (v instanceof PlainTime) return 'time'
  if (v instanceof Date) return 'datetime'
  return 'other'
}

function numeric(v: unknown): number | bigint {
  if (typeof v === 'boolean') return v ? 1 : 0
  if (v instanceof Decimal) return v.toNumber()
  return v as number | bigint
}

function timeKey(t: PlainTime): number {
  return ((t.hour * 60 + t.minute) * 60 + t.second) * 1e6 + t.microsecond
}

/** Compares two sort keys (nulls last); throws for incomparable types. */
export function compareKeys(a: unknown, b: unknown, caseInsensitive: boolean): number {
  const an = a === null || a === undefined
  const bn = b === null || b === undefined
  if (an || bn) return an === bn ? 0 : an ? 1 : -1
  const ka = kindOf(a)
  if (ka !== kindOf(b) || ka === 'other') {
    throw new BagError('INVALID_VALUE', 'sort() cannot compare values of different or unsupported types')
  }
  let x: number | bigint | string
  let y: number | bigint | string
  if (ka === 'number') {
    x = numeric(a)
    y = numeric(b)
  } else if (ka === 'string') {
    x = caseInsensitive ? (a as string).toLowerCase() : (a as string)
    y = caseInsensitive ? (b as string).toLowerCase() : (b as string)
  } else if (ka === 'date') {
    x = String(a)
    y = String(b)
  } else if (ka === 'time') {
    x = timeKey(a as PlainTime)
    y = timeKey(b as PlainTime)
  } else {
    x = (a as Date).getTime()
    y = (b as Date).getTime()
  }
  return x < y ? -1 : x > y ? 1 : 0
}

function sortValue(node: BagNode, criterion: string): unknown {
  const lower = criterion.toLowerCase()
  if (lower === '#k') return node.label
  if (lower === '#v') return node.value
  if (lower.startsWith('#a.')) return node.getAttr(criterion.slice(3))
  return itemOf(node.value, criterion)
}

/** Moves nodes into a new order in place (no events), keeping the label index valid. */
function reorder(bag: Bag, order: BagNode[]): void {
  const nodes = bag._nodes
  for (let i = 0; i < order.length; i++) nodes[i] = order[i] as BagNode
}

/**
 * Sorts the first level in place, firing no events (SPEC §5). `key` is a function of the node
 * or `'criterion:mode,…'` with criteria `#k`, `#v`, `#a.<name>`, `<field>` and modes `a`
 * (ascending, case-insensitive, default), `A`, `d`, `D`. Nulls sort last ascending.
 * @throws BagError `INVALID_VALUE` when values cannot be compared
 */
export function sortBag(bag: Bag, key: SortKey = '#k:a'): Bag {
  const order = [...bag._nodes]
  if (typeof key === 'function') {
    const keys = new Map(order.map((n) => [n, key(n)]))
    order.sort((a, b) => compareKeys(keys.get(a), keys.get(b), false))
  } else {
    const levels = key.split(',').reverse()
    for (const level of levels) {
      const colon = level.indexOf(':')
      const criterion = (colon >= 0 ? level.slice(0, colon) : level).trim()
      const mode = colon >= 0 ? level.slice(colon + 1).trim() : 'a'
      const reverse = mode === 'd' || mode === 'D'
      const ci = mode === 'a' || mode === 'd'
      const keys = new Map(order.map((n) => [n, sortValue(n, criterion)]))
      order.sort((a, b) => {
        const c = compareKeys(keys.get(a), keys.get(b), ci)
        return reverse ? -c : c
      })
    }
  }
  reorder(bag, order)
  return bag
}

/**
 * First node whose attribute `name` equals `value` (typed comparison): the first level first,
 * then depth-first into branches in order (SPEC §8.3). Iterative.
 */
export function nodeByAttr(bag: Bag, name: string, value: unknown): BagNode | undefined {
  const scan = (b: Bag, subs: Bag[]): BagNode | undefined => {
    for (const node of b._nodes) {
      const attr = node._attr
      if (attr !== null && Object.hasOwn(attr, name) && valuesEqual(attr[name], value, bagIdentity))
        return node
      if (node._value instanceof Bag) subs.push(node._value)
    }
    return undefined
  }
  const first: Bag[] = []
  const found = scan(bag, first)
  if (found !== undefined) return found
  const stack: { subs: Bag[]; index: number }[] = [{ subs: first, index: 0 }]
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { subs: Bag[]; index: number }
    if (top.index >= top.subs.length) {
      stack.pop()
      continue
    }
    const sub = top.subs[top.index++] as Bag
    const subs: Bag[] = []
    const hit = scan(sub, subs)
    if (hit !== undefined) return hit
    if (subs.length > 0) stack.push({ subs, index: 0 })
  }
  return undefined
}

function bagIdentity(x: unknown, y: unknown): boolean | undefined {
  if (x instanceof Bag || y instanceof Bag) return x instanceof Bag && x.equals(y)
  return undefined
}

/** First first-level node whose value (a Bag or a plain object) has `value[key]` equal to `value`. */
export function nodeByValue(bag: Bag, key: string, value: unknown): BagNode | undefined {
  for (const node of bag._nodes) {
    const v = node.value
    if (!(v instanceof Bag) && !isPlainObject(v)) continue
    if (valuesEqual(itemOf(v, key), value, bagIdentity)) return node
  }
  return undefined
}

/**
 * Moves first-level nodes (SPEC §5): `what` is an index or a list of indexes, `position` the index
 * of the destination node before removal. Invalid input is a no-op. Each moved node fires `del`
 * then `ins` in backref mode unless `trigger` is false.
 */
export function moveNodes(
  bag: Bag,
  what: number | readonly number[],
  position: number,
  opts?: { trigger?: boolean; reason?: string },
): void {
  const nodes = bag._nodes
  const len = nodes.length
  if (!Number.isInteger(position) || position < 0 || position >= len) return
  const dest = nodes[position] as BagNode
  let moving: BagNode[]
  let insertAfter: boolean
  if (typeof what === 'number') {
    if (!Number.isInteger(what) || what < 0 || what >= len || what === position) return
    moving = [nodes[what] as BagNode]
    insertAfter = false
  } else {
    const idx = [...new Set(what)]
      .filter((i) => Number.isInteger(i) && i >= 0 && i < len)
      .sort((a, b) => a - b)
    if (idx.length === 0 || idx.includes(position)) return
    moving = idx.map((i) => nodes[i] as BagNode)
    insertAfter = (idx[0] as number) < position
  }
  const mopts = opts?.trigger === false ? { trigger: false } : opts
  for (const node of moving) bag._remove(node, mopts)
  let at: number
  if (typeof what === 'number') at = Math.min(position, bag._nodes.length)
  else at = bag._nodes.indexOf(dest) + (insertAfter ? 1 : 0)
  for (const node of moving) {
    bag._nodes.splice(at, 0, node)
    bag._labels?.set(node.label, node)
    node._parentBag = bag
    const v = node._value
    if (v instanceof Bag && bag._backref) bag._adopt(v, node)
    if (bag._backref && opts?.trigger !== false) {
      const evt: { event: 'ins'; node: BagNode; pathlist: string[]; index: number; reason?: string } = {
        event: 'ins',
        node,
        pathlist: [],
        index: at,
      }
      if (opts?.reason !== undefined) evt.reason = opts.reason
      bag._emit(evt)
    }
    at++
  }
}
