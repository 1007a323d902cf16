import { Bag, type BagInit } from './bag.js'
import { copyBag } from './bag-copy.js'
import { buildAttrs } from './bag-node.js'
import { BagError } from './errors.js'
import { type BagAttributes, isPlainObject } from './values.js'

/** Hard bound on the depth `update` walks. */
const HARD_DEPTH = 100_000

/** `Bag.update` (SPEC §2.4): merges `source` into `target0` level by level. */
export function updateBag(
  target0: Bag,
  source: Bag | Readonly<Record<string, unknown>>,
  ignoreNone: boolean,
): void {
  const stack: [Bag, Bag | Readonly<Record<string, unknown>>][] = [[target0, source]]
  while (stack.length > 0) {
    const [target, src] = stack.pop() as [Bag, Bag | Readonly<Record<string, unknown>>]
    if (stack.length > HARD_DEPTH) throw new BagError('DEPTH_LIMIT', 'update source too deep')
    const entries: [string, unknown, BagAttributes | null][] =
      src instanceof Bag
        ? src._nodes.map((n) => [n.label, n._value, n._attr])
        : Object.keys(src).map((k) => [k, (src as Record<string, unknown>)[k], null])
    for (const [label, value, attrs] of entries) {
      const existing = target._lookup(label)
      if (existing === undefined) {
        target._insertNew(label, value instanceof Bag ? value.deepcopy() : value, attrs, undefined, undefined)
        continue
      }
      if (attrs) existing._attr = buildAttrs(existing._attr, attrs, true, false)
      if (value instanceof Bag && existing._value instanceof Bag) {
        stack.push([existing._value, value])
      } else if (!(ignoreNone && value === null)) {
        target._update(existing, value instanceof Bag ? value.deepcopy() : value, undefined, undefined)
      }
    }
  }
}

/** The new content for `Bag.fillFrom` (built completely before the Bag is touched). */
export function buildFillSource(source: NonNullable<BagInit> | string | Uint8Array): Bag {
  let fresh: Bag
  if (source instanceof Uint8Array) source = new TextDecoder('utf-8', { fatal: false }).decode(source)
  if (typeof source === 'string') {
    const t = source.trim()
    if (t.startsWith('<')) {
      const fromXml = (Bag as unknown as { fromXml?: (text: string) => Bag }).fromXml
      if (typeof fromXml !== 'function') throw new BagError('PARSE_ERROR', 'XML support is not available')
      fresh = fromXml.call(Bag, t)
    } else if (t.startsWith('{') || t.startsWith('[')) {
      fresh = Bag.fromJson(t)
    } else {
      throw new BagError('INVALID_VALUE', 'fillFrom accepts objects, arrays, Bags, JSON or XML text')
    }
  } else if (source instanceof Bag || Array.isArray(source) || isPlainObject(source)) {
    fresh = new Bag(source)
  } else {
    throw new BagError('INVALID_VALUE', 'fillFrom accepts objects, arrays, Bags, JSON or XML text')
  }
  return fresh
}

/** Fills an empty Bag from a constructor argument (object keys are paths; depth ≤ 512). */
export function fillInto(bag: Bag, init: NonNullable<BagInit>, depth: number): void {
  if (depth > 512) throw new BagError('DEPTH_LIMIT', 'initial object nested deeper than 512 levels')
  if (init instanceof Bag) {
    const copy = copyBag(init, true)
    bag._nodes = copy._nodes
    bag._labels = copy._labels
    for (const n of bag._nodes) n._parentBag = bag
    return
  }
  if (Array.isArray(init)) {
    init.forEach((item, i) => {
      let v: unknown = item
      if (isPlainObject(item)) {
        const child = new Bag()
        fillInto(child, item, depth + 1)
        v = child
      }
      bag._insertNew(String(i), v, null, undefined, undefined)
    })
    return
  }
  if (!isPlainObject(init))
    throw new BagError('INVALID_VALUE', 'a Bag is built from an object, an array or a Bag')
  for (const key of Object.keys(init)) {
    if (key.charCodeAt(0) === 35) throw new BagError('INVALID_PATH', `a key cannot start with '#': ${key}`)
    let v = init[key]
    if (isPlainObject(v)) {
      const child = new Bag()
      fillInto(child, v, depth + 1)
      v = child
    }
    bag.set(key, v)
  }
}
