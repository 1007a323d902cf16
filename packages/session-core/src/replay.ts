import { Bag } from '@satchel/bag'
import { markScopeChanged, type Session } from './session.js'

type BagNodeOf = NonNullable<ReturnType<Bag['node']>>

function copyValue(value: unknown): unknown {
  return value instanceof Bag ? value.deepcopy() : value
}

function childNode(bag: Bag, label: string): BagNodeOf | undefined {
  return bag.node(label) ?? undefined
}

/** The node at a label path, or undefined. */
function findNode(root: Bag, path: readonly string[]): BagNodeOf | undefined {
  let bag = root
  let node: BagNodeOf | undefined
  for (let index = 0; index < path.length; index++) {
    node = childNode(bag, path[index]!)
    if (node === undefined) return undefined
    if (index < path.length - 1) {
      if (!(node.value instanceof Bag)) return undefined
      bag = node.value
    }
  }
  return node
}

/** The Bag holding `path`'s last label, creating (or replacing scalars by) Bags on the way. */
function parentFor(root: Bag, path: readonly string[], create: boolean): Bag | undefined {
  let bag = root
  for (let index = 0; index < path.length - 1; index++) {
    const label = path[index]!
    const node = childNode(bag, label)
    if (node !== undefined && node.value instanceof Bag) {
      bag = node.value
    } else if (create) {
      const child = new Bag()
      bag.set(label, child)
      bag = child
    } else {
      return undefined
    }
  }
  return bag
}

function replaceAll(from: Bag, onto: Bag): void {
  onto.clear()
  for (const node of from.nodes) onto.set(node.label, copyValue(node.value), { ...node.attr })
}

/**
 * Applies `from`'s recorded changes onto `onto`, in order: a `set` copies the node at the path
 * (value deep-copied, attributes) from `from`, creating missing parents; an `ensure` does the
 * same unless `onto` already holds a Bag there (so parents created by two requests merge);
 * a `delete` removes it.
 * Then `onto` takes `from`'s `lastAccess`. Stores use it when a concurrent write won the race:
 * reload the latest record, replay, write again — so two requests that changed different paths
 * both survive.
 */
export function replayChanges(from: Session, onto: Session): void {
  for (const change of from.changes) {
    const source = change.scope === 'data' ? from.data : from.avatar.data
    const target = change.scope === 'data' ? onto.data : onto.avatar.data
    markScopeChanged(onto, change.scope)
    const { path } = change
    if (path.length === 0) {
      replaceAll(source, target)
      continue
    }
    const label = path[path.length - 1]!
    if (change.kind === 'delete') {
      // Applied even when a later change sets the path again: that set then appends the node
      // where the writer's own Bag has it.
      parentFor(target, path, false)?.popNode(label)
      continue
    }
    const node = findNode(source, path)
    if (node === undefined) continue // deleted again later in the same request
    if (change.kind === 'ensure' && findNode(target, path)?.value instanceof Bag) continue
    parentFor(target, path, true)!.set(label, copyValue(node.value), { ...node.attr })
  }
  onto.touch(Math.max(onto.meta.lastAccess, from.meta.lastAccess))
}
