import { Bag } from './bag.js'
import { BagError } from './errors.js'
import type { AttrsDiff, BagEvent, BagEventCallback } from './events.js'
import type { BagResolver } from './resolver.js'
import { type BagAttributes, createAttrs, valuesEqual } from './values.js'

/** Options of {@link BagNode.setAttr}. */
export interface NodeSetAttrOptions {
  /** Fire `upd_attrs` when something changed (default true). */
  trigger?: boolean
  /** Merge into the existing map (default true); false replaces the whole map. */
  updAttr?: boolean
  /** Keep attributes whose value is null instead of removing them (default false). */
  keepNullAttrs?: boolean
  /** Free text forwarded to event payloads. */
  reason?: string
}

/** Strict equality used for change detection: Bags by identity, the rest by value. */
export function sameForChange(a: unknown, b: unknown): boolean {
  return valuesEqual(a, b, (x, y) => (x instanceof Bag || y instanceof Bag ? x === y : undefined))
}

/** Builds the attribute map a write produces (null values removed unless kept). */
export function buildAttrs(
  base: BagAttributes | null,
  given: Readonly<Record<string, unknown>>,
  merge: boolean,
  keepNull: boolean,
): BagAttributes | null {
  const out = createAttrs()
  let count = 0
  if (merge && base !== null) {
    for (const k of Object.keys(base)) {
      out[k] = base[k]
      count++
    }
  }
  for (const k of Object.keys(given)) {
    let v = given[k]
    if (v === undefined) v = null
    if (v === null && !keepNull) {
      if (k in out) {
        delete out[k]
        count--
      }
      continue
    }
    if (!(k in out)) count++
    out[k] = v
  }
  return count > 0 ? out : null
}

/** Attribute differences between two maps (added: old null; removed: new null), or null when equal. */
export function diffAttrs(before: BagAttributes | null, after: BagAttributes | null): AttrsDiff | null {
  let diff: AttrsDiff | null = null
  if (after !== null) {
    for (const k of Object.keys(after)) {
      const had = before !== null && k in before
      const old = had ? (before as BagAttributes)[k] : null
      if (!had || !sameForChange(old, after[k])) {
        diff ??= createAttrs() as AttrsDiff
        diff[k] = { old, new: after[k] }
      }
    }
  }
  if (before !== null) {
    for (const k of Object.keys(before)) {
      if (after === null || !(k in after)) {
        diff ??= createAttrs() as AttrsDiff
        diff[k] = { old: before[k], new: null }
      }
    }
  }
  return diff
}

/**
 * One node of a {@link Bag}: a label unique among its siblings, a value (a nested Bag makes it a
 * branch) and an ordered attribute map.
 */
export class BagNode {
  /** The label, unique among the siblings. */
  readonly label: string
  /** @internal */
  _value: unknown
  /** @internal attribute map, null while empty */
  _attr: BagAttributes | null
  /** @internal */
  _parentBag: Bag | null
  /** @internal */
  _tag: string | null
  /** @internal */
  _xmlTag: string | null
  /** @internal */
  _resolver: BagResolver | null
  /** @internal */
  _subs: Map<string, BagEventCallback> | null

  /**
   * Nodes are normally created by {@link Bag.set}; constructing one directly gives a detached node.
   * @param label - the label
   * @param value - the value (undefined is stored as null)
   * @param attrs - initial attributes (null values dropped)
   */
  constructor(label: string, value?: unknown, attrs?: Readonly<Record<string, unknown>> | null) {
    this.label = label
    this._value = value === undefined ? null : value
    this._attr = attrs ? buildAttrs(null, attrs, false, false) : null
    this._parentBag = null
    this._tag = null
    this._xmlTag = null
    this._resolver = null
    this._subs = null
  }

  /** @internal puts `resolver` on the node (null removes it), attaching and detaching refresh timers. */
  _setResolver(resolver: BagResolver | null): void {
    const old = this._resolver
    if (old !== null && old !== resolver) old._detach(this)
    this._resolver = resolver
    if (resolver !== null) resolver._attach(this)
  }

  /** The value; reading a node with a resolver runs it (synchronous resolvers) or returns its cache. */
  get value(): unknown {
    if (this._resolver !== null) return this._resolver._readSync(this, undefined)
    return this._value
  }

  /** Sets the value (fires `upd_value` in backref mode when it changed). */
  set value(value: unknown) {
    this.setValue(value)
  }

  /** The value stored in the node, never running a resolver. */
  get staticValue(): unknown {
    return this._value
  }

  /**
   * Sets the value, as `bag.set(label, value)` would.
   * @param value - the new value
   * @param opts - `trigger` (default true) and `reason`
   */
  setValue(
    value: unknown,
    opts?: { trigger?: boolean; reason?: string; resolver?: BagResolver | false },
  ): void {
    Bag._updateNode(this, value, undefined, opts)
  }

  /** The live attribute map (created on first access; do not replace it, use {@link BagNode.setAttr}). */
  get attr(): BagAttributes {
    this._attr ??= createAttrs()
    return this._attr
  }

  /** The semantic tag of the node (XML element name, carried by JSON/TYTX), or null. */
  get tag(): string | null {
    return this._tag
  }

  set tag(tag: string | null) {
    this._tag = tag
  }

  /** The XML element name the node was parsed from, or null. */
  get xmlTag(): string | null {
    return this._xmlTag
  }

  set xmlTag(tag: string | null) {
    this._xmlTag = tag
  }

  /** The resolver of the node, or null. */
  get resolver(): BagResolver | null {
    return this._resolver
  }

  /** True when the value is a Bag. */
  get isBranch(): boolean {
    return this._value instanceof Bag
  }

  /** The Bag that contains (or contained, after a pop) the node; null for a detached node. */
  get parentBag(): Bag | null {
    return this._parentBag
  }

  /** Index among the siblings; -1 after the node was removed; null without a parent. */
  get position(): number | null {
    if (this._parentBag === null) return null
    return this._parentBag._nodes.indexOf(this)
  }

  /** Dotted path from the root (backref mode only, otherwise null). */
  get fullpath(): string | null {
    const bag = this._parentBag
    if (bag === null || !bag._backref) return null
    const base = bag.fullpath
    return base ? `${base}.${this.label}` : this.label
  }

  /** The node holding the parent Bag (backref mode only), or null. */
  get parentNode(): BagNode | null {
    return this._parentBag?._parentNode ?? null
  }

  /**
   * One attribute, or a copy of the whole map when `name` is omitted or `'#'`.
   * @param name - attribute name
   * @param defaultValue - returned when the attribute is missing
   */
  getAttr(name?: string, defaultValue?: unknown): unknown {
    if (name === undefined || name === '#') {
      const copy = createAttrs()
      if (this._attr) Object.assign(copy, this._attr)
      return copy
    }
    const a = this._attr
    return a !== null && name in a ? a[name] : defaultValue
  }

  /**
   * Merges (or with `updAttr: false` replaces) attributes; null values remove attributes. Fires
   * `upd_attrs` in backref mode when the map really changed.
   */
  setAttr(attrs: Readonly<Record<string, unknown>>, opts?: NodeSetAttrOptions): void {
    const next = buildAttrs(this._attr, attrs, opts?.updAttr !== false, opts?.keepNullAttrs === true)
    const diff = diffAttrs(this._attr, next)
    this._attr = next
    // a changed parameter invalidates the resolver's cache (and reloads a reactive one)
    if (diff !== null && this._resolver !== null) this._resolver._attrsChanged(this, Object.keys(diff))
    if (diff !== null && opts?.trigger !== false) {
      const evt: {
        event: 'upd_attrs'
        node: BagNode
        pathlist: string[]
        attrsDiff: AttrsDiff
        reason?: string
      } = {
        event: 'upd_attrs',
        node: this,
        pathlist: [this.label],
        attrsDiff: diff,
      }
      if (opts?.reason !== undefined) evt.reason = opts.reason
      this._notify(evt)
    }
  }

  /** True when the attribute exists (and, when `value` is given, equals it). */
  hasAttr(name: string, ...value: [unknown?]): boolean {
    const a = this._attr
    if (a === null || !(name in a)) return false
    return value.length === 0 || sameForChange(a[name], value[0])
  }

  /**
   * True when `test` holds for some attribute (stops at the first). Unlike {@link BagNode.attr},
   * it does not create the map of a node that has none.
   */
  someAttr(test: (value: unknown, name: string) => boolean): boolean {
    const a = this._attr
    if (a === null) return false
    for (const name of Object.keys(a)) if (test(a[name], name)) return true
    return false
  }

  /** Removes attributes; each name may be a comma-separated list. Fires no event. */
  delAttr(...names: string[]): void {
    const a = this._attr
    if (a === null) return
    for (const group of names) {
      for (const n of group.split(',')) delete a[n.trim()]
    }
    if (Object.keys(a).length === 0) this._attr = null
  }

  /** Attributes of every ancestor node (root first) merged with the node's own (backref mode). */
  getInheritedAttributes(): BagAttributes {
    const chain: BagNode[] = []
    let n: BagNode | null = this
    while (n !== null && chain.length < 100_000) {
      chain.push(n)
      n = n._parentBag?._parentNode ?? null
    }
    const out = createAttrs()
    for (let i = chain.length - 1; i >= 0; i--) {
      const a = (chain[i] as BagNode)._attr
      if (a) Object.assign(out, a)
    }
    return out
  }

  /** The first node, walking up from this one, that has attribute `name` (equal to `value` if given). */
  attributeOwnerNode(name: string, ...value: [unknown?]): BagNode | undefined {
    let n: BagNode | null = this
    let guard = 0
    while (n !== null && guard++ < 100_000) {
      if (n.hasAttr(name, ...value)) return n
      n = n._parentBag?._parentNode ?? null
    }
    return undefined
  }

  /** Registers a node-level callback for this node's update events (independent of backref). */
  subscribe(id: string, callback: BagEventCallback): void {
    this._subs ??= new Map()
    this._subs.set(id, callback)
  }

  /** Removes a node-level callback. */
  unsubscribe(id: string): void {
    this._subs?.delete(id)
  }

  /** The node's label and value in a readable form. */
  toString(): string {
    return `BagNode(${this.label})`
  }

  /** @internal fires an update event on node subscribers and the containing Bag. */
  _notify(evt: BagEvent): void {
    if (this._subs !== null) {
      for (const cb of this._subs.values()) cb(evt)
    }
    const bag = this._parentBag
    if (bag?._backref && bag._lookup(this.label) === this) bag._emit(evt)
  }
}

/** @internal guard used by serializers. */
export function assertLabel(label: unknown): string {
  if (typeof label !== 'string') throw new BagError('INVALID_PATH', 'labels must be strings')
  return label
}
