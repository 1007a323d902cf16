import { Bag } from './bag.js'
import type { BagNode } from './bag-node.js'
import { pyRepr, pyStr } from './xml/python-text.js'

/** Options of {@link renderTree}. */
export interface TreeViewOptions {
  /** `true` (default): show stored values only; `false`: read values through synchronous resolvers. */
  static?: boolean
}

function valueText(value: unknown): string {
  if (value === null || value === undefined) return 'None'
  if (value instanceof Uint8Array) return new TextDecoder('utf-8', { fatal: false }).decode(value)
  if (typeof value === 'string') return pyRepr(value.length > 50 ? `${value.slice(0, 47)}...` : value)
  return pyStr(value)
}

function attrText(node: BagNode): string {
  const attr = node._attr
  if (attr === null) return ''
  const keys = Object.keys(attr)
  if (keys.length === 0) return ''
  return ` [${keys.map((k) => `${k}=${pyRepr(attr[k])}`).join(', ')}]`
}

interface Frame {
  nodes: readonly BagNode[]
  index: number
  prefix: string
}

/**
 * The ASCII tree view of `bag.toString()` (SPEC §6): one line per node with `├──`/`└──`,
 * attributes in brackets, strings quoted and cut at 50 characters, branches in backref mode marked
 * `(*)`, a Bag met again marked `→ (circular ref)`. Iterative.
 */
export function renderTree(bag: Bag, opts?: TreeViewOptions): string {
  const staticRead = opts?.static !== false
  const lines: string[] = []
  const visited = new Set<BagNode>()
  const stack: Frame[] = [{ nodes: bag._nodes, index: 0, prefix: '' }]
  while (stack.length > 0) {
    const frame = stack[stack.length - 1] as Frame
    if (frame.index >= frame.nodes.length) {
      stack.pop()
      continue
    }
    const i = frame.index++
    const node = frame.nodes[i] as BagNode
    const isLast = i === frame.nodes.length - 1
    const branch = isLast ? '└── ' : '├── '
    const value = staticRead ? node._value : node.value
    if (value instanceof Bag) {
      const mark = value._backref ? '(*)' : ''
      if (visited.has(node)) {
        lines.push(`${frame.prefix}${branch}${node.label}${mark}${attrText(node)} → (circular ref)`)
        continue
      }
      visited.add(node)
      lines.push(`${frame.prefix}${branch}${node.label}${mark}${attrText(node)}`)
      if (value._nodes.length > 0) {
        stack.push({ nodes: value._nodes, index: 0, prefix: frame.prefix + (isLast ? '    ' : '│   ') })
      }
    } else {
      lines.push(`${frame.prefix}${branch}${node.label}: ${valueText(value)}${attrText(node)}`)
    }
  }
  return lines.join('\n')
}
