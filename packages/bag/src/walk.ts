import { Bag } from './bag.js'
import type { BagNode } from './bag-node.js'

/** Options of {@link walkBag}. */
export interface WalkOptions {
  /**
   * `true` (default): descend only into values already stored in the nodes; `false`: read values
   * through synchronous resolvers to descend into the Bags they produce.
   */
  static?: boolean
}

/**
 * Callback of `bag.walk(cb)`: receives the node and the labels from the walked Bag down to it
 * (the node's own label included). Returning a truthy value stops the walk.
 */
export type WalkCallback = (node: BagNode, pathlist: string[]) => unknown

interface WalkFrame {
  nodes: readonly BagNode[]
  index: number
}

function childBag(node: BagNode, staticRead: boolean): Bag | undefined {
  const v = staticRead ? node._value : node.value
  return v instanceof Bag ? v : undefined
}

/**
 * Depth-first, pre-order traversal with a callback (SPEC §8.1). Iterative: depth is bounded only
 * by memory. Returns the first truthy value returned by `cb` (the walk stops there), else undefined.
 */
export function walkBag(bag: Bag, cb: WalkCallback, opts?: WalkOptions): unknown {
  const staticRead = opts?.static !== false
  const stack: WalkFrame[] = [{ nodes: bag._nodes, index: 0 }]
  // labels of the ancestors of the current level; each callback gets its own copy
  const labels: string[] = []
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as WalkFrame
    if (frame.index >= frame.nodes.length) {
      stack.pop()
      labels.pop()
      continue
    }
    const node = frame.nodes[frame.index++] as BagNode
    const depth = labels.length
    const pathlist = new Array<string>(depth + 1)
    for (let i = 0; i < depth; i++) pathlist[i] = labels[i] as string
    pathlist[depth] = node.label
    const result = cb(node, pathlist)
    if (result) return result
    const child = childBag(node, staticRead)
    if (child !== undefined && child._nodes.length > 0) {
      stack.push({ nodes: child._nodes, index: 0 })
      labels.push(node.label)
    }
  }
  return undefined
}

/**
 * Depth-first, pre-order `[dottedPath, node]` pairs of every node under `bag` (SPEC §8.1, the
 * generator form). Iterative.
 */
export function* walkEntries(bag: Bag, opts?: WalkOptions): Generator<[string, BagNode], void, undefined> {
  const staticRead = opts?.static !== false
  const stack: { nodes: readonly BagNode[]; index: number; prefix: string }[] = [
    { nodes: bag._nodes, index: 0, prefix: '' },
  ]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as { nodes: readonly BagNode[]; index: number; prefix: string }
    if (frame.index >= frame.nodes.length) {
      stack.pop()
      continue
    }
    const node = frame.nodes[frame.index++] as BagNode
    const path = frame.prefix === '' ? node.label : `${frame.prefix}.${node.label}`
    yield [path, node]
    const child = childBag(node, staticRead)
    if (child !== undefined && child._nodes.length > 0)
      stack.push({ nodes: child._nodes, index: 0, prefix: path })
  }
}
