/**
 * The static-read path of `bag.query()` (the default): the column specifiers are parsed once into
 * plain descriptors and every node is read in one specialised loop. The generic path called one
 * closure per cell and read `#a.<name>` through `Object.hasOwn` with a freshly sliced key; on the
 * 10k-node bench Bag (`'#p,#v,#a.id'`, deep) those closures and lookups were half the time.
 * @internal
 */
import { Bag } from './bag.js'
import type { BagNode } from './bag-node.js'
import { isPlainObject } from './values.js'

/** `value[key]` of a Bag or plain-object value (query columns naming a field), else undefined. */
export function itemOf(value: unknown, key: string): unknown {
  if (value instanceof Bag) return value.get(key)
  if (isPlainObject(value)) return Object.hasOwn(value, key) ? value[key] : undefined
  return undefined
}

// column kinds (numbers, so that the cell switch compiles to a jump table)
const LABEL = 0
const PATH = 1
const NODE = 2
/** `#v`: the value; with `deep`, null for a branch */
const VALUE = 3
/** `#__v`, and `#v` without `deep` */
const STATIC_VALUE = 4
const SUB_VALUE = 5
const ATTRS = 6
/** `#a.<name>` for a name no prototype in the chain can hold: a plain property read */
const ATTR = 7
/** `#a.<name>` for a name `Object.prototype` holds (`constructor`, `__proto__`, …): own only */
const OWN_ATTR = 8
const ITEM = 9
const CALL = 10

interface Column {
  kind: number
  /** the attribute name, sub-path or field name */
  name: string
  fn: ((node: BagNode) => unknown) | null
}

/** A property key used as it is by the engine (an internalized string: no lookup per read). */
function propertyKey(name: string): string {
  return Object.keys({ [name]: 0 })[0] as string
}

function column(spec: string | ((node: BagNode) => unknown), deep: boolean): Column {
  if (typeof spec === 'function') return { kind: CALL, name: '', fn: spec }
  if (spec === '#k') return { kind: LABEL, name: '', fn: null }
  if (spec === '#p') return { kind: PATH, name: '', fn: null }
  if (spec === '#n') return { kind: NODE, name: '', fn: null }
  if (spec === '#v') return { kind: deep ? VALUE : STATIC_VALUE, name: '', fn: null }
  if (spec === '#__v') return { kind: STATIC_VALUE, name: '', fn: null }
  if (spec.startsWith('#v.')) return { kind: SUB_VALUE, name: spec.slice(3), fn: null }
  if (spec === '#a') return { kind: ATTRS, name: '', fn: null }
  if (spec.startsWith('#a.')) {
    const name = propertyKey(spec.slice(3))
    // attribute maps have an empty prototype, but a plain-object map would inherit these
    return { kind: name in Object.prototype ? OWN_ATTR : ATTR, name, fn: null }
  }
  return { kind: ITEM, name: spec, fn: null }
}

/** One cell: column `c` of `node` (whose static value is `value`) at `path`. */
function cell(c: Column, node: BagNode, path: string, value: unknown): unknown {
  switch (c.kind) {
    case LABEL:
      return node.label
    case PATH:
      return path
    case NODE:
      return node
    case VALUE:
      return value instanceof Bag ? null : value
    case STATIC_VALUE:
      return value
    case SUB_VALUE:
      return value instanceof Bag ? value.get(c.name) : undefined
    case ATTRS:
      return node.attr
    case ATTR: {
      const a = node._attr
      return a === null ? undefined : a[c.name]
    }
    case OWN_ATTR: {
      const a = node._attr
      return a !== null && Object.hasOwn(a, c.name) ? a[c.name] : undefined
    }
    case ITEM:
      return itemOf(value, c.name)
    default:
      return (c.fn as (node: BagNode) => unknown)(node)
  }
}

/** Options of {@link selectStatic}, as `queryBag` resolved them. */
export interface SelectOptions {
  deep: boolean
  leaf: boolean
  branch: boolean
  condition: ((node: BagNode) => boolean) | undefined
  limit: number
}

/**
 * Rows (or, with one specifier, values) of the nodes under `target`, pre-order, reading stored
 * values only (never a resolver). Same results as the generic query loop with `static: true`.
 */
export function selectStatic(
  target: Bag,
  specs: readonly (string | ((node: BagNode) => unknown))[],
  opts: SelectOptions,
): unknown[] {
  const { deep, leaf, branch, condition, limit } = opts
  const columns = specs.map((s) => column(s, deep))
  const n = columns.length
  const c0 = columns[0] as Column
  const c1 = columns[1] as Column
  const c2 = columns[2] as Column
  const needPath = columns.some((c) => c.kind === PATH)
  const out: unknown[] = []
  // the level being read, and the levels above it (parallel stacks: no frame object per branch)
  let nodes: readonly BagNode[] = target._nodes
  let index = 0
  /** path of the level's parent followed by `.`, or '' at the top (only with a `#p` column) */
  let prefix = ''
  const upNodes: (readonly BagNode[])[] = []
  const upIndex: number[] = []
  const upPrefix: string[] = []
  for (;;) {
    if (index >= nodes.length) {
      const up = upNodes.pop()
      if (up === undefined) break
      nodes = up
      index = upIndex.pop() as number
      prefix = upPrefix.pop() as string
      continue
    }
    const node = nodes[index++] as BagNode
    const value = node._value
    const isBranch = value instanceof Bag
    const path = needPath ? prefix + node.label : ''
    if ((isBranch ? branch : leaf) && (condition === undefined || condition(node))) {
      // array literals for the usual widths: packed arrays, allocated in one step
      if (n === 1) out.push(cell(c0, node, path, value))
      else if (n === 2) out.push([cell(c0, node, path, value), cell(c1, node, path, value)])
      else if (n === 3)
        out.push([cell(c0, node, path, value), cell(c1, node, path, value), cell(c2, node, path, value)])
      else {
        const row = new Array<unknown>(n)
        for (let i = 0; i < n; i++) row[i] = cell(columns[i] as Column, node, path, value)
        out.push(row)
      }
      if (out.length >= limit) break
    }
    if (deep && isBranch && (value as Bag)._nodes.length > 0) {
      upNodes.push(nodes)
      upIndex.push(index)
      upPrefix.push(prefix)
      nodes = (value as Bag)._nodes
      index = 0
      if (needPath) prefix = `${path}.`
    }
  }
  return out
}
