import { Bag } from './bag.js'
import { BagNode } from './bag-node.js'
import { BagError } from './errors.js'
import { attrsEqual, createAttrs, valuesEqual } from './values.js'

/** Hard bound on in-memory tree depth walked by copy (cycles end here). */
const HARD_DEPTH = 100_000

/**
 * Iterative deep copy of a Bag: labels, attribute copies, values (nested Bags copied, others
 * shared). `throughResolvers` reads values through resolvers (the `fillFrom`/constructor semantics).
 */
export function copyBag(source: Bag, throughResolvers: boolean): Bag {
  const out = new Bag()
  // The pending nested Bags; made only when there is one (a session's flat Bag needs none).
  let stack: [Bag, Bag, number][] | undefined
  let src = source
  let dst = out
  let depth = 0
  for (;;) {
    if (depth > HARD_DEPTH) throw new BagError('DEPTH_LIMIT', 'Bag nested too deeply (or cyclic)')
    const nodes = src._nodes
    const dn = new Array<BagNode>(nodes.length)
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i] as BagNode
      const c = new BagNode(n.label)
      c._parentBag = dst
      if (n._attr !== null) {
        const a = createAttrs()
        for (const k of Object.keys(n._attr)) a[k] = n._attr[k]
        c._attr = a
      }
      let v = throughResolvers && n._resolver !== null ? n.value : n._value
      if (v === undefined) v = null
      if (v instanceof Bag) {
        const child = new Bag()
        stack ??= []
        stack.push([v, child, depth + 1])
        v = child
      }
      c._value = v
      dn[i] = c
    }
    dst._nodes = dn
    const next = stack?.pop()
    if (next === undefined) return out
    ;[src, dst, depth] = next
  }
}

/** Iterative structural equality of two Bags (SPEC §1.4, strict per type, tags ignored). */
export function bagsEqual(a0: Bag, b0: Bag): boolean {
  const stack: [Bag, Bag][] = [[a0, b0]]
  const pending: [Bag, Bag][] = []
  const bagEq = (x: unknown, y: unknown): boolean | undefined => {
    if (x instanceof Bag || y instanceof Bag) {
      if (!(x instanceof Bag && y instanceof Bag)) return false
      if (x !== y) pending.push([x, y])
      return true
    }
    return undefined
  }
  let steps = 0
  while (stack.length > 0) {
    const [a, b] = stack.pop() as [Bag, Bag]
    if (++steps > 10_000_000) throw new BagError('DEPTH_LIMIT', 'Bag too large or cyclic')
    if (a._nodes.length !== b._nodes.length) return false
    for (let i = 0; i < a._nodes.length; i++) {
      const na = a._nodes[i] as BagNode
      const nb = b._nodes[i] as BagNode
      if (na.label !== nb.label) return false
      if (!attrsEqual(na._attr, nb._attr, bagEq)) return false
      if (na._resolver !== null || nb._resolver !== null) {
        if (na._resolver === null || !na._resolver.equals(nb._resolver)) return false
      } else if (!valuesEqual(na._value, nb._value, bagEq)) return false
      while (pending.length > 0) stack.push(pending.pop() as [Bag, Bag])
    }
  }
  return true
}
