import { bagsEqual, copyBag } from './bag-copy.js'
import { emitEvent, notifyWhole, runTransaction, type TxFrame } from './bag-events.js'
import { buildFillSource, fillInto, updateBag } from './bag-merge.js'
import { BagNode, buildAttrs, diffAttrs, sameForChange } from './bag-node.js'
import { BagError } from './errors.js'
import type {
  AttrsDiff,
  BagEvent,
  BagObserver,
  BagSubscription,
  BagUnsubscribeFlags,
  SubscriberEntry,
} from './events.js'
import { bagFromJson, bagToJson, type FromJsonOptions, type ToJsonOptions } from './json.js'
import { type BagPath, isSimplePath, PARENT_SEGMENT, type ParsedPath, parsePath } from './path.js'
import { resolveInsertIndex } from './position.js'
import {
  columnsOf,
  type DigestOptions,
  digestBag,
  moveNodes,
  nodeByAttr,
  nodeByValue,
  type QueryOptions,
  type QuerySpecifier,
  queryBag,
  type SortKey,
  type SumOptions,
  sortBag,
  sumBag,
} from './query.js'
import { BagResolver } from './resolver.js'
import { renderTree, type TreeViewOptions } from './tree-view.js'
import { bagFromTytx, bagToTytx, type FromTytxOptions, type ToTytxOptions } from './tytx.js'
import { decodeTytxString } from './tytx-codes.js'
import { type BagAttributes, createAttrs } from './values.js'
import { type WalkCallback, type WalkOptions, walkBag, walkEntries } from './walk.js'
import { type FromXmlOptions, readXml } from './xml/xml-reader.js'
import { type ToXmlOptions, writeXml } from './xml/xml-writer.js'

/** Value accepted by the Bag constructor and `fillFrom`. */
export type BagInit = Bag | Readonly<Record<string, unknown>> | readonly unknown[] | null | undefined

/** Options of {@link Bag.set}. */
export interface SetOptions {
  /** Where a **new** node goes (SPEC §4.4): `'>'` (default), `'<'`, an index, `'#n'`, `'<label'`, `'>label'`, `'<#n'`, `'>#n'`. */
  position?: number | string
  /** Merge the given attributes into the existing ones instead of replacing them. */
  updAttr?: boolean
  /** Keep attributes whose value is null (default: they are removed). */
  keepNullAttrs?: boolean
  /** Free text forwarded to event payloads. */
  reason?: string
  /** Event pulse: set (firing the event), then silently reset the value to null. */
  fired?: boolean
  /** Fire events (default true). */
  trigger?: boolean
  /** `false` removes an existing resolver; a resolver replaces it. */
  resolver?: BagResolver | false
  /** Semantic tag of the node (replaces an existing one). */
  tag?: string | null
}

/** Options of {@link Bag.get}. */
export interface GetOptions {
  /** Return cached values only, never run resolvers. */
  static?: boolean
  /** Parameters passed to the resolver of the final node. */
  params?: Readonly<Record<string, unknown>>
}

/** Options of {@link Bag.getNode}. */
export interface GetNodeOptions {
  /** Create the missing node (and intermediates); fires one insert event. */
  autocreate?: boolean
  /** Value of an autocreated node (default null). */
  default?: unknown
}

/** Options of mutating calls that can be silenced. */
export interface MutationOptions {
  /** Fire events (default true). */
  trigger?: boolean
  /** Free text forwarded to event payloads. */
  reason?: string
}

/** Options of {@link Bag.setAttr}. */
export interface BagSetAttrOptions extends MutationOptions {
  /** Keep attributes whose value is null (default: they are removed). */
  keepNullAttrs?: boolean
}

/** Hard bound on in-memory tree depth walked by copy/compare/backref (cycles end here). */
const HARD_DEPTH = 100_000

/** Up to this many nodes a level is searched by a scan; beyond, through its label Map. */
const SCAN_LIMIT = 4

function isSpecial(seg: string): boolean {
  return seg.charCodeAt(0) === 35
}

function parseIndex(rest: string): number | null {
  const n = rest.length
  if (n === 0 || n > 16) return null
  let i = rest.charCodeAt(0) === 45 ? 1 : 0
  if (i === n) return null
  for (; i < n; i++) {
    const c = rest.charCodeAt(i)
    if (c < 48 || c > 57) return null
  }
  return Number(rest)
}

/**
 * An ordered tree of uniquely labelled nodes with values and attributes. Address nodes with dotted
 * paths (`'a.b.c'`, `'a.#0'`, `'a.#id=7'`, `'a?attr'`), subscribe to changes, and serialize
 * losslessly with TYTX (JSON or msgpack).
 *
 * @example
 * ```ts
 * const bag = new Bag()
 * bag.set('user.name', 'Ada', { role: 'admin' })
 * bag.get('user.name') // 'Ada'
 * bag.get('user.name?role') // 'admin'
 * ```
 */
export class Bag implements Iterable<BagNode> {
  /** @internal */
  _nodes: BagNode[] = []
  /**
   * @internal label → node, built only once a lookup meets more than {@link SCAN_LIMIT} nodes:
   * smaller Bags (a session's usual data) are scanned, so a copy of one allocates no Map. Keep
   * it in step through `_labels?.set/delete` beside every change of `_nodes`, or reset it to
   * null; {@link Bag._index} builds it on demand.
   */
  _labels: Map<string, BagNode> | null = null
  /** @internal */
  _parent: Bag | null = null
  /** @internal */
  _parentNode: BagNode | null = null
  /** @internal */
  _backref = false
  /** @internal */
  _subs: Map<string, SubscriberEntry> | null = null
  /** @internal */
  _tx: TxFrame[] | null = null
  /** @internal see {@link Bag.observe} */
  _observer: BagObserver | null = null
  /** Attributes of a top-level Bag (not serialized by any format). */
  rootAttributes: BagAttributes | null = null

  /** @internal the label index, built now if it was not (see {@link Bag._labels}). */
  get _index(): Map<string, BagNode> {
    let labels = this._labels
    if (labels === null) {
      labels = new Map()
      for (const node of this._nodes) labels.set(node.label, node)
      this._labels = labels
    }
    return labels
  }

  set _index(labels: Map<string, BagNode> | null) {
    this._labels = labels
  }

  /** @internal the node labelled `label` on this level (labels are unique), without building an index for a small Bag. */
  _lookup(label: string): BagNode | undefined {
    const labels = this._labels
    if (labels !== null) return labels.get(label)
    const nodes = this._nodes
    if (nodes.length > SCAN_LIMIT) return this._index.get(label)
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i] as BagNode
      if (node.label === label) return node
    }
    return undefined
  }

  /**
   * @param init - a plain object (keys are paths, nested objects become Bags), an array (labels
   *   `'0'`, `'1'`, …), a Bag (deep copy of its nodes) or null
   */
  constructor(init?: BagInit) {
    if (init !== undefined && init !== null) this._fillInto(init, 0)
  }

  // ---------------------------------------------------------------- static helpers (internal)

  /** @internal */
  static _updateNode(
    node: BagNode,
    value: unknown,
    attrs: Readonly<Record<string, unknown>> | undefined,
    opts: SetOptions | undefined,
  ): void {
    const bag = node._parentBag
    if (bag !== null && bag._lookup(node.label) === node) {
      bag._update(node, value, attrs, opts)
    } else {
      if (value instanceof BagResolver) {
        node._setResolver(value)
        node._value = null
      } else node._value = value === undefined ? null : value
      if (attrs !== undefined)
        node._attr = buildAttrs(node._attr, attrs, opts?.updAttr === true, opts?.keepNullAttrs === true)
    }
  }

  // ---------------------------------------------------------------- size and iteration

  /** Number of first-level nodes. */
  get length(): number {
    return this._nodes.length
  }

  /** Iterates the first-level nodes in order. */
  [Symbol.iterator](): Iterator<BagNode> {
    return this._nodes[Symbol.iterator]()
  }

  /** First-level labels in order. */
  keys(): string[] {
    const out = new Array<string>(this._nodes.length)
    for (let i = 0; i < out.length; i++) out[i] = (this._nodes[i] as BagNode).label
    return out
  }

  /** First-level values in order (read through resolvers). */
  values(): unknown[] {
    return this._nodes.map((n) => n.value)
  }

  /** First-level `[label, value]` pairs in order (values read through resolvers). */
  items(): [string, unknown][] {
    return this._nodes.map((n) => [n.label, n.value])
  }

  /** A copy of the first-level node list. */
  get nodes(): BagNode[] {
    return this._nodes.slice()
  }

  /** First-level nodes, optionally filtered by a predicate. */
  getNodes(condition?: (node: BagNode) => boolean): BagNode[] {
    return condition ? this._nodes.filter(condition) : this._nodes.slice()
  }

  /**
   * True when there are no nodes or every node holds null (a node with a resolver or an empty
   * Bag counts as non-empty).
   */
  isEmpty(opts?: { zeroIsNone?: boolean; blankIsNone?: boolean }): boolean {
    for (const n of this._nodes) {
      if (n._resolver !== null) return false
      const v = n._value
      if (v === null || v === undefined) continue
      if (opts?.zeroIsNone && v === 0) continue
      if (opts?.blankIsNone && typeof v === 'string' && v.trim() === '') continue
      return false
    }
    return true
  }

  // ---------------------------------------------------------------- lookup helpers

  /** @internal resolves one segment against this Bag (exact label, then `#` syntax). */
  _child(seg: string, verbatim: boolean): BagNode | undefined {
    const node = this._lookup(seg)
    if (node !== undefined || verbatim || !isSpecial(seg)) return node
    const rest = seg.slice(1)
    const idx = parseIndex(rest)
    if (idx !== null) return this._nodes[idx < 0 ? this._nodes.length + idx : idx]
    const eq = rest.indexOf('=')
    if (eq < 0) return undefined
    const name = rest.slice(0, eq)
    const text = rest.slice(eq + 1)
    if (name === '') {
      for (const n of this._nodes) if (n._value === text) return n
      return undefined
    }
    for (const n of this._nodes) {
      const a = n._attr
      if (a !== null && a[name] === text && name in a) return n
    }
    return undefined
  }

  /** @internal walks `count` segments for reading; returns the Bag reached or undefined. */
  _walkRead(p: ParsedPath, count: number, staticRead: boolean): Bag | undefined {
    let cur: Bag = this
    const segs = p.segments
    for (let i = 0; i < count; i++) {
      const seg = segs[i] as string
      let node = cur._lookup(seg)
      if (node === undefined && !p.verbatim) {
        if (seg === PARENT_SEGMENT) {
          if (cur._parent === null) return undefined
          cur = cur._parent
          continue
        }
        node = cur._child(seg, false)
      }
      if (node === undefined) return undefined
      let v = node._value
      if (!(v instanceof Bag) && node._resolver !== null && !staticRead) v = node.value
      if (!(v instanceof Bag)) return undefined
      cur = v
    }
    return cur
  }

  /** @internal walks `count` segments for writing, creating/replacing intermediates. */
  _walkWrite(p: ParsedPath, count: number, opts: MutationOptions | undefined): Bag {
    let cur: Bag = this
    const segs = p.segments
    for (let i = 0; i < count; i++) {
      const seg = segs[i] as string
      let node = cur._lookup(seg)
      if (node === undefined) {
        if (!p.verbatim && isSpecial(seg)) {
          if (seg === PARENT_SEGMENT) {
            if (cur._parent === null)
              throw new BagError('INVALID_PATH', 'no parent Bag (backref mode is off)')
            cur = cur._parent
            continue
          }
          node = cur._child(seg, false)
          if (node === undefined)
            throw new BagError('INVALID_PATH', `Not existing index in #n syntax: ${seg}`)
        } else {
          const child = new Bag()
          cur._insertNew(seg, child, null, undefined, opts)
          cur = child
          continue
        }
      }
      cur = cur._descendForWrite(node, opts)
    }
    return cur
  }

  /** @internal one plain-label step of a write walk: create, descend or replace by a Bag. */
  _stepWrite(seg: string, opts: MutationOptions | undefined): Bag {
    const node = this._lookup(seg)
    if (node === undefined) {
      const child = new Bag()
      if (this._backref) this._insertNew(seg, child, null, undefined, opts)
      else {
        const fresh = new BagNode(seg)
        fresh._parentBag = this
        fresh._value = child
        this._nodes.push(fresh)
        this._labels?.set(seg, fresh)
      }
      return child
    }
    return this._descendForWrite(node, opts)
  }

  /** @internal the Bag under `node` for a write walk (a scalar is replaced by a new Bag). */
  _descendForWrite(node: BagNode, opts: MutationOptions | undefined): Bag {
    const v = node._value
    if (v instanceof Bag) return v
    const child = new Bag()
    if (node._resolver !== null) {
      node._value = child
      if (this._backref) this._adopt(child, node)
    } else {
      this._update(node, child, undefined, opts)
    }
    return child
  }

  /** @internal inserts a new node; fires `ins`. */
  _insertNew(
    label: string,
    value: unknown,
    attrs: Readonly<Record<string, unknown>> | null | undefined,
    position: number | string | undefined,
    opts: SetOptions | MutationOptions | undefined,
  ): BagNode {
    const node = new BagNode(label)
    node._parentBag = this
    if (value instanceof BagResolver) {
      node._setResolver(value)
    } else if (value instanceof BagNode) {
      node._value = value._value
      if (attrs === undefined || attrs === null) attrs = value._attr
    } else if (value !== undefined) {
      node._value = value
    }
    if (attrs)
      node._attr = buildAttrs(null, attrs, false, (opts as SetOptions | undefined)?.keepNullAttrs === true)
    const tag = (opts as SetOptions | undefined)?.tag
    if (tag !== undefined) node._tag = tag
    const nodes = this._nodes
    const index = position === undefined ? nodes.length : resolveInsertIndex(this, position)
    if (index === nodes.length) nodes.push(node)
    else nodes.splice(index, 0, node)
    this._labels?.set(label, node)
    const v = node._value
    if (v instanceof Bag && this._backref) this._adopt(v, node)
    if (this._backref && opts?.trigger !== false) {
      const evt: { event: 'ins'; node: BagNode; pathlist: string[]; index: number; reason?: string } = {
        event: 'ins',
        node,
        pathlist: [],
        index,
      }
      if (opts?.reason !== undefined) evt.reason = opts.reason
      this._emit(evt)
    }
    if ((opts as SetOptions | undefined)?.fired) node._value = null
    return node
  }

  /** @internal updates an existing node of this Bag (SPEC §4.1 table); fires the update event. */
  _update(
    node: BagNode,
    value: unknown,
    attrs: Readonly<Record<string, unknown>> | undefined,
    opts: SetOptions | undefined,
  ): void {
    if (value === undefined) value = null
    if (value instanceof BagNode) {
      if (attrs === undefined) attrs = value._attr ?? {}
      value = value._value
    }
    if (value instanceof BagResolver) {
      node._setResolver(value)
      value = null
    } else if (node._resolver !== null) {
      const r = opts?.resolver
      if (r === false) node._setResolver(null)
      else if (r instanceof BagResolver) node._setResolver(r)
      else if (value !== null) {
        throw new BagError(
          'RESOLVER_CONFLICT',
          `node '${node.label}' has a resolver; pass { resolver: false } to replace it with a value`,
        )
      }
    } else if (opts?.resolver instanceof BagResolver) {
      node._setResolver(opts.resolver)
    }
    const old = node._value
    const changed = !sameForChange(old, value)
    let attrsDiff: AttrsDiff | null = null
    if (attrs !== undefined) {
      const next = buildAttrs(node._attr, attrs, opts?.updAttr === true, opts?.keepNullAttrs === true)
      attrsDiff = diffAttrs(node._attr, next)
      node._attr = next
    }
    if (changed) {
      node._value = value
      if (old instanceof Bag && old._parent === this && old._parentNode === node) {
        old._parent = null
        old._parentNode = null
      }
      if (value instanceof Bag && this._backref) this._adopt(value, node)
    }
    if (opts?.tag !== undefined) node._tag = opts.tag
    if ((changed || attrsDiff !== null) && opts?.trigger !== false) {
      const evt: {
        event: 'upd_value' | 'upd_value_attr'
        node: BagNode
        pathlist: string[]
        oldValue: unknown
        attrsDiff: AttrsDiff | null
        reason?: string
      } = {
        event: attrs === undefined ? 'upd_value' : 'upd_value_attr',
        node,
        pathlist: [node.label],
        oldValue: old,
        attrsDiff,
      }
      if (opts?.reason !== undefined) evt.reason = opts.reason
      if (node._subs !== null || this._backref) node._notify(evt)
    }
    if (opts?.fired) node._value = null
  }

  /** @internal removes a node of this Bag; fires `del`. */
  _remove(node: BagNode, opts: MutationOptions | undefined): void {
    const index = this._nodes.indexOf(node)
    if (index < 0) return
    this._nodes.splice(index, 1)
    this._labels?.delete(node.label)
    const v = node._value
    if (v instanceof Bag && v._parent === this && v._parentNode === node) {
      v._parent = null
      v._parentNode = null
    }
    if (this._backref && opts?.trigger !== false) {
      const evt: { event: 'del'; node: BagNode; pathlist: string[]; index: number; reason?: string } = {
        event: 'del',
        node,
        pathlist: [],
        index,
      }
      if (opts?.reason !== undefined) evt.reason = opts.reason
      this._emit(evt)
    }
  }

  /** @internal links a nested Bag to this one (backref mode). */
  _adopt(child: Bag, node: BagNode): void {
    let p: Bag | null = this
    for (let guard = 0; p !== null && guard < HARD_DEPTH; guard++) {
      if (p === child) throw new BagError('INVALID_VALUE', 'a Bag cannot contain itself')
      p = p._parent
    }
    child._parent = this
    child._parentNode = node
    child.setBackref()
  }

  // ---------------------------------------------------------------- events

  /** @internal delivers an event raised in this Bag (pathlist relative to this Bag). */
  _emit(evt: BagEvent): void {
    emitEvent(this, evt)
  }

  /**
   * Sets the one observer of this Bag (null removes it) and turns on backref mode. Unlike a
   * subscriber it sees every change of the subtree: each event (also one a subscriber stopped,
   * and the mutations of a `transaction()` block that threw) and, through `whole()`, each change
   * that fires no event. Copies do not carry it. For code that keeps something in step with the
   * Bag (a session store tracking what to save); use {@link Bag.subscribe} to react to changes.
   *
   * @param observer - receives `change(event)` and `whole()`; null to remove
   */
  observe(observer: BagObserver | null): void {
    if (observer !== null) this.setBackref()
    this._observer = observer
  }

  /**
   * Registers callbacks under `id` and turns on backref mode. Subscribing again with the same id
   * overwrites only the categories passed; `any` fills update/insert/delete not given explicitly.
   */
  subscribe(id: string, callbacks?: BagSubscription): void {
    this.setBackref()
    if (!callbacks) return
    this._subs ??= new Map()
    let entry = this._subs.get(id)
    if (!entry) {
      entry = { update: undefined, insert: undefined, delete: undefined, transaction: undefined }
      this._subs.set(id, entry)
    }
    const any = callbacks.any
    if (callbacks.update ?? any) entry.update = callbacks.update ?? any
    if (callbacks.insert ?? any) entry.insert = callbacks.insert ?? any
    if (callbacks.delete ?? any) entry.delete = callbacks.delete ?? any
    if (callbacks.transaction) entry.transaction = callbacks.transaction
  }

  /**
   * Removes callbacks registered under `id`: the flagged categories, or all of them when no flags
   * are given (`any` removes update, insert and delete but not transaction).
   */
  unsubscribe(id: string, flags?: BagUnsubscribeFlags): void {
    const entry = this._subs?.get(id)
    if (!entry) return
    if (!flags) {
      this._subs?.delete(id)
      return
    }
    if (flags.update || flags.any) entry.update = undefined
    if (flags.insert || flags.any) entry.insert = undefined
    if (flags.delete || flags.any) entry.delete = undefined
    if (flags.transaction) entry.transaction = undefined
    if (!entry.update && !entry.insert && !entry.delete && !entry.transaction) this._subs?.delete(id)
  }

  /**
   * Runs `fn`; mutations of this Bag's subtree made inside are captured instead of delivered, and
   * when `fn` returns normally each `transaction` subscriber of this Bag receives them once. If
   * `fn` throws, nothing is emitted (mutations stay applied). Returns what `fn` returns (a promise
   * returned by `fn` is awaited before the block ends).
   */
  transaction<T>(fn: (bag: this) => T): T {
    return runTransaction(this, fn)
  }

  // ---------------------------------------------------------------- backref

  /** True when parent links are on (events bubble, `fullpath` and `#parent` work). */
  get backref(): boolean {
    return this._backref
  }

  /** Turns on backref mode for this Bag and its whole subtree. */
  setBackref(): void {
    if (this._backref) return
    const stack: Bag[] = [this]
    let guard = 0
    while (stack.length > 0) {
      const bag = stack.pop() as Bag
      bag._backref = true
      if (++guard > 10_000_000) throw new BagError('DEPTH_LIMIT', 'tree too large or cyclic')
      for (const n of bag._nodes) {
        const v = n._value
        if (v instanceof Bag) {
          if (v === this) throw new BagError('INVALID_VALUE', 'a Bag cannot contain itself')
          v._parent = bag
          v._parentNode = n
          if (!v._backref) stack.push(v)
        }
      }
    }
  }

  /** Turns off backref mode for this Bag and its whole subtree (drops parent links). */
  clearBackref(): void {
    // Its observers hear no more events from here on: they must take the Bag as a whole.
    notifyWhole(this)
    const stack: Bag[] = [this]
    let guard = 0
    while (stack.length > 0) {
      const bag = stack.pop() as Bag
      if (++guard > 10_000_000) throw new BagError('DEPTH_LIMIT', 'tree too large or cyclic')
      bag._backref = false
      bag._parent = null
      bag._parentNode = null
      for (const n of bag._nodes) {
        const v = n._value
        if (v instanceof Bag && v._backref) stack.push(v)
      }
    }
  }

  /** The containing Bag (backref mode), or null. */
  get parent(): Bag | null {
    return this._parent
  }

  /** The node holding this Bag (backref mode), or null. */
  get parentNode(): BagNode | null {
    return this._parentNode
  }

  /** The top Bag reached through parent links. */
  get root(): Bag {
    let b: Bag = this
    for (let guard = 0; b._parent !== null && guard < HARD_DEPTH; guard++) b = b._parent
    return b
  }

  /** Dotted path of this Bag from the root (backref mode), null for a root. */
  get fullpath(): string | null {
    if (this._parentNode === null) return null
    const labels: string[] = []
    let b: Bag = this
    for (let guard = 0; b._parentNode !== null && b._parent !== null && guard < HARD_DEPTH; guard++) {
      labels.push(b._parentNode.label)
      b = b._parent
    }
    return labels.reverse().join('.')
  }

  /** The attributes of the node containing this Bag (empty for a root or without backref). */
  get attributes(): BagAttributes {
    return this._parentNode ? this._parentNode.attr : createAttrs()
  }

  /** Inherited attributes of the node containing this Bag (backref mode). */
  getInheritedAttributes(): BagAttributes {
    return this._parentNode ? this._parentNode.getInheritedAttributes() : createAttrs()
  }

  // ---------------------------------------------------------------- reading

  /**
   * The value at `path`, or `defaultValue` (undefined) when missing. `''` returns the Bag itself;
   * `path?name` reads an attribute, `path?a&b` several.
   */
  get(path: BagPath, defaultValue?: unknown, opts?: GetOptions): unknown {
    if (typeof path === 'string' && isSimplePath(path)) {
      const staticRead = opts?.static === true
      let cur: Bag = this
      let start = 0
      for (;;) {
        const dot = path.indexOf('.', start)
        const node = cur._lookup(dot < 0 ? (start === 0 ? path : path.slice(start)) : path.slice(start, dot))
        if (node === undefined) return defaultValue
        if (dot < 0) {
          if (node._resolver !== null && !staticRead) return node._resolver._readSync(node, opts?.params)
          return node._value
        }
        let v = node._value
        if (!(v instanceof Bag) && node._resolver !== null && !staticRead) v = node.value
        if (!(v instanceof Bag)) return defaultValue
        cur = v
        start = dot + 1
      }
    }
    if (path === '') return this
    const p = parsePath(path)
    const segs = p.segments
    const n = segs.length
    if (n === 0) {
      if (p.query !== null && this._parentNode) return queryAttrs(this._parentNode, p.query, defaultValue)
      return this
    }
    const staticRead = opts?.static === true
    const container = n === 1 ? this : this._walkRead(p, n - 1, staticRead)
    if (container === undefined) return defaultValue
    const last = segs[n - 1] as string
    const node = container._child(last, p.verbatim)
    if (node === undefined) {
      if (last === PARENT_SEGMENT && !p.verbatim && p.query === null) return container._parent ?? defaultValue
      return defaultValue
    }
    if (p.query !== null) {
      const params = parseQueryParams(p.query)
      if (params === null) return queryAttrs(node, p.query, defaultValue)
      if (node._resolver === null) {
        throw new BagError('INVALID_PATH', `'${node.label}' has no resolver: ?k=v parameters need one`)
      }
      node.setAttr(params)
      return node._resolver._readSync(node, opts?.params)
    }
    if (node._resolver !== null && !staticRead) return node._resolver._readSync(node, opts?.params)
    return node._value
  }

  /**
   * Like {@link Bag.get} but awaits asynchronous resolvers on the way and at the end.
   */
  async getAsync(
    path: BagPath,
    defaultValue?: unknown,
    opts?: { params?: Readonly<Record<string, unknown>> },
  ): Promise<unknown> {
    if (path === '') return this
    const p = parsePath(path)
    const segs = p.segments
    let cur: Bag = this
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i] as string
      if (!p.verbatim && seg === PARENT_SEGMENT && cur._lookup(seg) === undefined) {
        if (cur._parent === null) return defaultValue
        cur = cur._parent
        if (i === segs.length - 1) return cur
        continue
      }
      const node = cur._child(seg, p.verbatim)
      if (node === undefined) return defaultValue
      const last = i === segs.length - 1
      if (last && p.query !== null) {
        const params = parseQueryParams(p.query)
        if (params === null) return queryAttrs(node, p.query, defaultValue)
        if (node._resolver === null) throw new BagError('INVALID_PATH', `'${node.label}' has no resolver`)
        node.setAttr(params)
        return node._resolver._readAsync(node, opts?.params)
      }
      const v =
        node._resolver !== null
          ? await node._resolver._readAsync(node, last ? opts?.params : undefined)
          : node._value
      if (last) return v
      if (!(v instanceof Bag)) return defaultValue
      cur = v
    }
    return cur
  }

  /**
   * Single-level read: no dot traversal, static. `''` → this Bag, `'#parent'` → the parent;
   * supports `#n`, `#attr=value` and `?attr` on this level.
   */
  getLocal(label: string, defaultValue?: unknown): unknown {
    if (label === '') return this
    let query: string | null = null
    const q = label.indexOf('?')
    if (q >= 0) {
      query = label.slice(q + 1)
      label = label.slice(0, q)
    }
    const node = this._child(label, false)
    if (node === undefined) {
      if (label === PARENT_SEGMENT && query === null) return this._parent ?? defaultValue
      return defaultValue
    }
    if (query !== null) return queryAttrs(node, query, defaultValue)
    return node._value
  }

  /**
   * The node at `path`, or undefined. `''` returns the node containing this Bag. With
   * `autocreate` the node (and intermediates) is created holding `default` (null).
   */
  getNode(path: BagPath, opts?: GetNodeOptions): BagNode | undefined {
    const p = parsePath(path)
    const segs = p.segments
    const n = segs.length
    if (n === 0) return this._parentNode ?? undefined
    const last = segs[n - 1] as string
    if (opts?.autocreate) {
      const container = this._walkWrite(p, n - 1, undefined)
      const found = container._child(last, p.verbatim)
      if (found !== undefined) return found
      if (!p.verbatim && isSpecial(last))
        throw new BagError('INVALID_PATH', `Cannot create new node with # syntax: ${last}`)
      return container._insertNew(last, opts.default ?? null, null, undefined, undefined)
    }
    const container = n === 1 ? this : this._walkRead(p, n - 1, false)
    return container?._child(last, p.verbatim)
  }

  /** The resolver of the node at `path`, or undefined (plain or missing node). */
  getResolver(path: BagPath): BagResolver | undefined {
    return this.getNode(path)?._resolver ?? undefined
  }

  /** First-level node by exact label or by index (negative counts from the end). */
  node(labelOrIndex: string | number): BagNode | undefined {
    if (typeof labelOrIndex === 'number') {
      if (!Number.isInteger(labelOrIndex)) return undefined
      return this._nodes[labelOrIndex < 0 ? this._nodes.length + labelOrIndex : labelOrIndex]
    }
    return this._lookup(labelOrIndex)
  }

  /** True when `path` finds a node, or when a node object is one of the first-level nodes. */
  has(pathOrNode: BagPath | BagNode): boolean {
    if (pathOrNode instanceof BagNode) return this._lookup(pathOrNode.label) === pathOrNode
    if (typeof pathOrNode === 'string') {
      if (pathOrNode.indexOf('?') >= 0) return false
      if (this._lookup(pathOrNode) !== undefined) return true
    } else if (!Array.isArray(pathOrNode)) return false
    const p = parsePath(pathOrNode)
    if (p.segments.length === 0) return false
    return this.getNode(pathOrNode) !== undefined
  }

  // ---------------------------------------------------------------- writing

  /**
   * Sets the value at `path`, creating missing intermediate Bags, and returns the node.
   * `path?name` sets one attribute; `path?a&b` sets several from an array value.
   * @throws BagError `INVALID_PATH` for a last segment starting with `#` or a missing `#n` intermediate
   */
  set(
    path: BagPath,
    value: unknown,
    attrs?: Readonly<Record<string, unknown>> | null,
    opts?: SetOptions,
  ): BagNode {
    if (typeof path === 'string' && isSimplePath(path)) {
      let cur: Bag = this
      let start = 0
      let dot = path.indexOf('.')
      while (dot >= 0) {
        cur = cur._stepWrite(path.slice(start, dot), opts)
        start = dot + 1
        dot = path.indexOf('.', start)
      }
      const label = start === 0 ? path : path.slice(start)
      const node = cur._lookup(label)
      if (node === undefined) {
        if (
          opts === undefined &&
          !attrs &&
          !cur._backref &&
          !(value instanceof BagResolver) &&
          !(value instanceof BagNode)
        ) {
          // hot path: plain append, no events, no options
          const fresh = new BagNode(label)
          fresh._parentBag = cur
          if (value !== undefined) fresh._value = value
          cur._nodes.push(fresh)
          cur._labels?.set(label, fresh)
          return fresh
        }
        return cur._insertNew(
          label,
          value === undefined ? null : value,
          attrs ?? undefined,
          opts?.position,
          opts,
        )
      }
      cur._update(node, value, attrs ?? undefined, opts)
      return node
    }
    const p = parsePath(path)
    const segs = p.segments
    const n = segs.length
    if (n === 0) throw new BagError('INVALID_PATH', 'cannot set an empty path')
    const container = n === 1 ? this : this._walkWrite(p, n - 1, opts)
    const label = segs[n - 1] as string
    if (!p.verbatim && isSpecial(label)) {
      if (label === PARENT_SEGMENT) throw new BagError('INVALID_PATH', 'cannot set #parent')
      throw new BagError('INVALID_PATH', `Cannot create new node with # syntax: ${label}`)
    }
    if (p.query !== null) return container._setQueryAttrs(label, p.query, value, opts)
    const node = container._lookup(label)
    if (node === undefined) {
      return container._insertNew(
        label,
        value === undefined ? null : value,
        attrs ?? undefined,
        opts?.position,
        opts,
      )
    }
    container._update(node, value, attrs ?? undefined, opts)
    return node
  }

  /** @internal `label?a&b` writes. */
  _setQueryAttrs(label: string, query: string, value: unknown, opts: SetOptions | undefined): BagNode {
    if (query.indexOf('=') >= 0) throw new BagError('INVALID_PATH', 'cannot write with ?k=v parameters')
    const names = query.split('&').map((s) => s.trim())
    let values: unknown[]
    if (names.length === 1) values = [value]
    else {
      if (!Array.isArray(value) || value.length !== names.length) {
        throw new BagError(
          'INVALID_VALUE',
          'Wrong attributes assignment: give an array with one value per name',
        )
      }
      values = value
    }
    const attrs: Record<string, unknown> = createAttrs()
    names.forEach((name, i) => {
      attrs[name] = values[i]
    })
    let node = this._lookup(label)
    node ??= this._insertNew(label, null, null, opts?.position, opts)
    const setAttrOpts: { trigger?: boolean; reason?: string; keepNullAttrs?: boolean } = {}
    if (opts?.trigger !== undefined) setAttrOpts.trigger = opts.trigger
    if (opts?.reason !== undefined) setAttrOpts.reason = opts.reason
    if (opts?.keepNullAttrs !== undefined) setAttrOpts.keepNullAttrs = opts.keepNullAttrs
    node.setAttr(attrs, setAttrOpts)
    return node
  }

  /** Returns the value at `path`, setting it to `value` first when the node is missing. */
  setdefault(path: BagPath, value: unknown): unknown {
    const node = this.getNode(path)
    if (node !== undefined) return node.value
    this.set(path, value)
    return value
  }

  /** Removes the node at `path` and returns its value, or `defaultValue` when missing. */
  pop(path: BagPath, defaultValue?: unknown, opts?: MutationOptions): unknown {
    const node = this._popNode(path, opts)
    return node === undefined ? defaultValue : node._value
  }

  /** Removes the node at `path` and returns it (undefined when missing). */
  popNode(path: BagPath, opts?: MutationOptions): BagNode | undefined {
    return this._popNode(path, opts)
  }

  private _popNode(path: BagPath, opts: MutationOptions | undefined): BagNode | undefined {
    const p = parsePath(path)
    const n = p.segments.length
    if (n === 0) return undefined
    const container = n === 1 ? this : this._walkRead(p, n - 1, true)
    if (container === undefined) return undefined
    const node = container._child(p.segments[n - 1] as string, p.verbatim)
    if (node === undefined) return undefined
    container._remove(node, opts)
    return node
  }

  /**
   * Removes every node in place. On a nested Bag in backref mode one `upd_value` fires on the
   * containing node with `oldValue` = a detached Bag holding the removed nodes.
   */
  clear(opts?: MutationOptions): void {
    const old = this._detachContent()
    this._emitReplaced(old, opts)
    notifyWhole(this)
  }

  /** @internal moves all nodes into a new detached Bag. */
  _detachContent(): Bag {
    const old = new Bag()
    old._nodes = this._nodes
    old._labels = this._labels
    for (const n of old._nodes) {
      n._parentBag = old
      const v = n._value
      if (v instanceof Bag && v._parent === this) {
        v._parent = null
        v._parentNode = null
      }
    }
    this._nodes = []
    this._labels = null
    return old
  }

  /** @internal fires the single `upd_value` of clear/fillFrom on a nested backref Bag. */
  _emitReplaced(old: Bag, opts: MutationOptions | undefined): void {
    const parent = this._parent
    const pnode = this._parentNode
    if (parent === null || pnode === null || !this._backref || opts?.trigger === false) return
    const evt: {
      event: 'upd_value'
      node: BagNode
      pathlist: string[]
      oldValue: unknown
      attrsDiff: null
      reason?: string
    } = { event: 'upd_value', node: pnode, pathlist: [pnode.label], oldValue: old, attrsDiff: null }
    if (opts?.reason !== undefined) evt.reason = opts.reason
    pnode._notify(evt)
  }

  // ---------------------------------------------------------------- attributes

  /**
   * Merges attributes into the node at `path` (created when missing); null values remove
   * attributes. No path: the node containing this Bag.
   */
  setAttr(
    path: BagPath | null | undefined,
    attrs: Readonly<Record<string, unknown>>,
    opts?: BagSetAttrOptions,
  ): void {
    let node: BagNode | undefined
    if (path === null || path === undefined || path === '') {
      node = this._parentNode ?? undefined
      if (node === undefined) throw new BagError('INVALID_PATH', 'a root Bag has no containing node')
    } else node = this.getNode(path, { autocreate: true })
    const o: { trigger?: boolean; reason?: string; keepNullAttrs?: boolean } = {}
    if (opts?.trigger !== undefined) o.trigger = opts.trigger
    if (opts?.reason !== undefined) o.reason = opts.reason
    if (opts?.keepNullAttrs !== undefined) o.keepNullAttrs = opts.keepNullAttrs
    ;(node as BagNode).setAttr(attrs, o)
  }

  /**
   * One attribute of the node at `path` (or a copy of the whole map without `name`);
   * `defaultValue` when the node or the attribute is missing.
   */
  getAttr(path?: BagPath | null, name?: string, defaultValue?: unknown): unknown {
    const node = path === null || path === undefined || path === '' ? this._parentNode : this.getNode(path)
    if (!node) return defaultValue
    return node.getAttr(name, defaultValue)
  }

  /** Removes attributes of the node at `path` (each name may be a comma list). Fires no event. */
  delAttr(path: BagPath | null | undefined, ...names: string[]): void {
    const node = path === null || path === undefined || path === '' ? this._parentNode : this.getNode(path)
    if (node === null || node === undefined) return
    node.delAttr(...names)
    notifyWhole(this)
  }

  // ---------------------------------------------------------------- bulk

  /** First-level `{label: value}` (nested Bags stay Bags); `lower` lowercases the keys. */
  asDict(opts?: { lower?: boolean }): Record<string, unknown> {
    const out = createAttrs()
    for (const n of this._nodes) out[opts?.lower ? n.label.toLowerCase() : n.label] = n.value
    return out
  }

  /**
   * Merges a Bag or a plain object into this Bag level by level: new labels are appended,
   * existing attributes merged, nested Bags merged recursively, other values replaced (unless
   * `ignoreNone` and the new value is null).
   */
  update(source: Bag | Readonly<Record<string, unknown>>, opts?: { ignoreNone?: boolean }): this {
    updateBag(this, source, opts?.ignoreNone === true)
    notifyWhole(this)
    return this
  }

  /**
   * Replaces the whole content with `source` (plain object, array, Bag, JSON text, XML text or
   * UTF-8 bytes of those). The new content is built first: on error the Bag is unchanged.
   */
  fillFrom(source: BagInit | string | Uint8Array): this {
    if (source === null || source === undefined) return this
    const fresh = buildFillSource(source)
    const old = this._detachContent()
    this._nodes = fresh._nodes
    this._labels = fresh._labels
    for (const n of this._nodes) {
      n._parentBag = this
      const v = n._value
      if (v instanceof Bag) {
        v._parent = null
        v._parentNode = null
        if (this._backref) this._adopt(v, n)
      }
    }
    this._emitReplaced(old, undefined)
    notifyWhole(this)
    return this
  }

  /** @internal fills an empty Bag from a constructor argument. */
  _fillInto(init: NonNullable<BagInit>, depth: number): void {
    fillInto(this, init, depth)
  }

  /**
   * A new Bag with every node copied: label, a copy of the attributes and the static value (nested
   * Bags deep-copied, other values shared). Resolvers, tags, subscriptions and backref are not copied.
   */
  deepcopy(): Bag {
    return this._copy(false)
  }

  /** @internal iterative copy; `throughResolvers` reads values through resolvers (fillFrom semantics). */
  _copy(throughResolvers: boolean): Bag {
    return copyBag(this, throughResolvers)
  }

  /**
   * True when `other` is a Bag with the same nodes in the same order: labels, attributes (any
   * order) and values equal per type (resolver nodes compare resolvers). Tags are ignored.
   */
  equals(other: unknown): boolean {
    return other instanceof Bag && bagsEqual(this, other)
  }

  // ---------------------------------------------------------------- serialization

  /**
   * TYTX serialization (SPEC §12.3): `transport: 'json'` (default) returns text, `'msgpack'`
   * returns bytes; `compact` uses parent codes; `file` omits the trailing `::JS` marker.
   * @throws BagError `NOT_SERIALIZABLE` for values the format cannot carry (functions, class instances, …)
   */
  toTytx(opts: ToTytxOptions & { transport: 'msgpack' }): Uint8Array
  toTytx(opts?: ToTytxOptions & { transport?: 'json' }): string
  toTytx(opts?: ToTytxOptions): string | Uint8Array
  toTytx(opts?: ToTytxOptions): string | Uint8Array {
    return bagToTytx(this, opts)
  }

  /**
   * Rebuilds a Bag from TYTX: a string is read as TYTX JSON (with or without `::JS`), bytes as
   * TYTX msgpack. @throws BagError `PARSE_ERROR`, `DEPTH_LIMIT`, `SIZE_LIMIT`
   */
  static fromTytx(data: string | Uint8Array, opts?: FromTytxOptions): Bag {
    return bagFromTytx(data, opts)
  }

  /**
   * JSON serialization (SPEC §12.2): an array of `{label, value, attr[, tag]}`; `typed` (default
   * true) writes TYTX-typed strings and the `::JS` marker.
   */
  toJson(opts?: ToJsonOptions): string {
    return bagToJson(this, opts)
  }

  /**
   * Builds a Bag from JSON text or an already parsed value (node format, objects, lists, scalars).
   * @throws BagError `PARSE_ERROR` for malformed text
   */
  static fromJson(source: unknown, opts?: FromJsonOptions): Bag {
    return bagFromJson(source, opts)
  }

  // ---------------------------------------------------------------- XML, query, traversal, view

  /**
   * XML serialization (SPEC §12.1). By default the reference's output: one element per node, no
   * wrapper, values as Python text (lossy). `typed: true` writes the legacy `<GenRoBag>` form with
   * `_T` codes, which reads back unchanged; `root` wraps the output in one element.
   * @throws BagError `NOT_SERIALIZABLE`, `DEPTH_LIMIT`
   */
  toXml(opts?: ToXmlOptions): string {
    return writeXml(this, opts)
  }

  /**
   * Builds a Bag from XML text or UTF-8 bytes: a document or a fragment (several top-level
   * elements); a `<GenRoBag>` root is unwrapped and its `_T` codes decoded.
   * @throws BagError `PARSE_ERROR`, `DEPTH_LIMIT`, `SIZE_LIMIT`
   */
  static fromXml(source: string | Uint8Array, opts?: FromXmlOptions): Bag {
    return readXml(source, opts ?? {}, Bag)
  }

  /**
   * Selects nodes and extracts columns (SPEC §8.2): one specifier gives an array of values,
   * several (`'#k,#v'`) an array of rows. Options `deep`, `leaf`, `branch`, `condition`, `limit`.
   */
  query(what?: string | readonly QuerySpecifier[] | null, opts?: QueryOptions): unknown[] {
    return queryBag(this, what, opts)
  }

  /** First-level query; `asColumns` transposes the rows into columns (SPEC §8.3). */
  digest(what?: string | readonly QuerySpecifier[] | null, opts?: DigestOptions): unknown[] {
    return digestBag(this, what, opts)
  }

  /** `digest(cols, { asColumns: true })`; `attrMode` reads each name as an attribute. */
  columns(cols: string | readonly string[], opts?: { attrMode?: boolean }): unknown[][] {
    return columnsOf(this, cols, opts)
  }

  /** Sum of a query column, null as 0; `'#v,#a.qty'` gives one sum per column. */
  sum(what?: string, opts?: SumOptions): number | number[] {
    return sumBag(this, what, opts)
  }

  /** Sorts the first level in place without events (`'#k:a'`, `'#v:d'`, `'#a.x:A,field:D'`, or a key function). */
  sort(key?: SortKey): this {
    sortBag(this, key)
    notifyWhole(this)
    return this
  }

  /**
   * Depth-first pre-order traversal. With a callback `cb(node, pathlist)` it stops at, and
   * returns, the first truthy result; without one it yields `[dottedPath, node]` pairs.
   */
  walk(cb: WalkCallback, opts?: WalkOptions): unknown
  walk(cb?: undefined, opts?: WalkOptions): Generator<[string, BagNode], void, undefined>
  walk(cb?: WalkCallback, opts?: WalkOptions): unknown {
    return cb === undefined ? walkEntries(this, opts) : walkBag(this, cb, opts)
  }

  /** Moves the nodes at index `what` (or indexes) to the place of the node at `position` (SPEC §5). */
  move(what: number | readonly number[], position: number, opts?: MutationOptions): void {
    moveNodes(this, what, position, opts)
  }

  /** First node (this level first, then depth-first) whose attribute `name` equals `value`. */
  getNodeByAttr(name: string, value: unknown): BagNode | undefined {
    return nodeByAttr(this, name, value)
  }

  /** First first-level node whose Bag or object value has `value[key]` equal to `value`. */
  getNodeByValue(key: string, value: unknown): BagNode | undefined {
    return nodeByValue(this, key, value)
  }

  /** The ASCII tree view (SPEC §6). */
  toString(opts?: TreeViewOptions): string {
    return renderTree(this, opts)
  }
}

function queryAttrs(node: BagNode, query: string, defaultValue: unknown): unknown {
  const a = node._attr
  if (query.indexOf('&') < 0) {
    const name = query.trim()
    return a !== null && name in a ? a[name] : defaultValue === undefined ? undefined : defaultValue
  }
  return query.split('&').map((s) => {
    const name = s.trim()
    return a !== null && name in a ? a[name] : undefined
  })
}

/** `k=v&k2=v2` → parameters (TYTX suffixes decoded); null when the query is an attribute list. */
function parseQueryParams(query: string): Record<string, unknown> | null {
  const items = query.split('&')
  const withEq = items.filter((s) => s.indexOf('=') >= 0).length
  if (withEq === 0) return null
  if (withEq !== items.length)
    throw new BagError('INVALID_PATH', 'cannot mix attribute names and k=v parameters')
  const out = createAttrs()
  for (const item of items) {
    const eq = item.indexOf('=')
    out[item.slice(0, eq).trim()] = decodeQueryValue(item.slice(eq + 1))
  }
  return out
}

function decodeQueryValue(text: string): unknown {
  return decodeTytxString(text)
}
