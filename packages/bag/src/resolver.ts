import { Bag } from './bag.js'
import type { BagNode } from './bag-node.js'
import { BagError } from './errors.js'
import { isPlainObject } from './values.js'

/** Options shared by every resolver. */
export interface ResolverOptions {
  /** Seconds a produced value is cached in the node: 0 = no caching (default), Infinity = forever. */
  cacheTime?: number
  /** When true the produced value is returned but not stored in the node (default: `cacheTime === 0`). */
  readOnly?: boolean
  /** Turn produced plain objects, arrays and JSON/XML text into a Bag (default false). */
  asBag?: boolean
}

const INTERNAL = new Set([
  'cacheTime',
  'readOnly',
  'cache_time',
  'read_only',
  'interval',
  'reactive',
  'asBag',
])

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    (typeof v === 'object' || typeof v === 'function') &&
    v !== null &&
    typeof (v as { then?: unknown }).then === 'function'
  )
}

/**
 * A lazy value producer attached to a node (SPEC §11). Subclasses implement `produce`. Reading the
 * node runs it (synchronous producers) or returns the cache (asynchronous ones; use `Bag.getAsync`).
 */
export abstract class BagResolver {
  /** Seconds a value is cached (0 = never, Infinity = forever). */
  readonly cacheTime: number
  /** True when produced values are not stored in the node. */
  readonly readOnly: boolean
  /** Produced plain objects, arrays and JSON/XML text become Bags. */
  readonly asBag: boolean
  /** The resolver's own parameters (merged with node attributes and call parameters at load time). */
  params: Record<string, unknown>
  /** @internal time (ms) the cached value was stored, or null */
  _cachedAt: number | null = null
  /** @internal */
  _pending: Promise<unknown> | null = null

  /**
   * @param opts - `cacheTime`, `readOnly` and any extra parameters for the producer
   * @throws BagError `INVALID_VALUE` for a negative or non-numeric `cacheTime`
   */
  constructor(opts?: ResolverOptions & Record<string, unknown>) {
    const cacheTime = opts?.cacheTime ?? 0
    if (typeof cacheTime !== 'number' || Number.isNaN(cacheTime) || cacheTime < 0) {
      throw new BagError('INVALID_VALUE', 'cacheTime must be a number >= 0 (Infinity = forever)')
    }
    this.cacheTime = cacheTime
    this.readOnly = opts?.readOnly ?? cacheTime === 0
    this.asBag = opts?.asBag === true
    const params: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    if (opts) for (const k of Object.keys(opts)) if (!INTERNAL.has(k)) params[k] = opts[k]
    this.params = params
  }

  /** True when producing needs `await` (the sync read then returns only the cache). */
  get isAsync(): boolean {
    return false
  }

  /** True when there is no valid cached value. */
  get expired(): boolean {
    if (this.cacheTime === 0 || this.readOnly || this._cachedAt === null) return true
    if (this.cacheTime === Number.POSITIVE_INFINITY) return false
    return Date.now() - this._cachedAt >= this.cacheTime * 1000
  }

  /** Invalidates the cache: the next read produces again. */
  reset(): void {
    this._cachedAt = null
  }

  /** Two resolvers are equal when they have the same class and parameters. */
  equals(other: unknown): boolean {
    if (!(other instanceof BagResolver) || other.constructor !== this.constructor) return false
    const a = Object.keys(this.params)
    const b = Object.keys(other.params)
    return (
      a.length === b.length &&
      a.every((k) => Object.is(this.params[k], other.params[k])) &&
      other.cacheTime === this.cacheTime &&
      other.readOnly === this.readOnly
    )
  }

  /** Produces the value from the merged parameters; may return a Promise. */
  protected abstract produce(params: Record<string, unknown>): unknown

  /** @internal merged parameters: own, node attributes, call parameters. */
  _params(node: BagNode, callParams: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
    const merged: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    Object.assign(merged, this.params)
    const attrs = node._attr
    if (attrs) for (const k of Object.keys(attrs)) if (!INTERNAL.has(k)) merged[k] = attrs[k]
    if (callParams) Object.assign(merged, callParams)
    return merged
  }

  /** @internal synchronous read: cached value, or a fresh one from a synchronous producer. */
  _readSync(node: BagNode, callParams: Readonly<Record<string, unknown>> | undefined): unknown {
    if (!this.expired) return node._value
    if (this.isAsync) return this.readOnly ? undefined : node._value === null ? undefined : node._value
    const out = this.produce(this._params(node, callParams))
    if (isThenable(out)) {
      // started by a synchronous read: the value lands in the cache; a failure shows on the next read
      this._track(node, out).catch(() => undefined)
      return this.readOnly ? undefined : node._value === null ? undefined : node._value
    }
    return this._store(node, out)
  }

  /** @internal asynchronous read. */
  async _readAsync(
    node: BagNode,
    callParams: Readonly<Record<string, unknown>> | undefined,
  ): Promise<unknown> {
    if (!this.expired) return node._value
    if (this._pending !== null && callParams === undefined) return this._pending
    const out = this.produce(this._params(node, callParams))
    if (isThenable(out)) return this._track(node, out)
    return this._store(node, out)
  }

  private _track(node: BagNode, out: PromiseLike<unknown>): Promise<unknown> {
    const p = Promise.resolve(out).then(
      (v) => {
        if (this._pending === p) this._pending = null
        return this._store(node, v)
      },
      (e: unknown) => {
        if (this._pending === p) this._pending = null
        throw e
      },
    )
    this._pending = p
    return p
  }

  /** @internal converts a produced value (asBag) and stores it when caching; returns the value. */
  private _store(node: BagNode, produced: unknown): unknown {
    const value = this.asBag ? toBag(produced) : produced
    if (this.readOnly || this.cacheTime === 0) return value
    node._value = value === undefined ? null : value
    const parent = node._parentBag
    if (
      value instanceof Bag &&
      parent !== null &&
      parent._backref &&
      parent._index.get(node.label) === node
    ) {
      parent._adopt(value, node)
    }
    this._cachedAt = Date.now()
    return value
  }
}

/** SPEC §11.2: objects, arrays, XML text (`<…`) and JSON text (`{…`/`[…`) become a Bag; failures and empty results keep the value. */
function toBag(value: unknown): unknown {
  try {
    let bag: Bag | null = null
    if (typeof value === 'string') {
      const t = value.trim()
      if (t.startsWith('<') || t.startsWith('{') || t.startsWith('[')) bag = new Bag().fillFrom(t)
    } else if (Array.isArray(value) || isPlainObject(value)) bag = new Bag(value)
    return bag !== null && bag.length > 0 ? bag : value
  } catch {
    return value
  }
}

/** The function a {@link CallbackResolver} calls: one object with the merged parameters. */
export type ResolverCallback = (params: Record<string, unknown>) => unknown

/**
 * A resolver that calls a function (sync or async) with the merged parameters: the resolver
 * options, the node attributes, call `params` and `?k=v` query parameters.
 */
export class CallbackResolver extends BagResolver {
  /** The producer. */
  readonly fn: ResolverCallback
  private readonly _async: boolean

  /**
   * @param fn - the producer
   * @param opts - `cacheTime` (seconds), `readOnly`, `async` (force async mode) and extra parameters
   */
  constructor(fn: ResolverCallback, opts?: ResolverOptions & { async?: boolean } & Record<string, unknown>) {
    const { async: forceAsync, ...rest } = opts ?? {}
    super(rest)
    if (typeof fn !== 'function') throw new BagError('INVALID_VALUE', 'CallbackResolver needs a function')
    this.fn = fn
    this._async = forceAsync === true || fn.constructor.name === 'AsyncFunction'
  }

  override get isAsync(): boolean {
    return this._async
  }

  override equals(other: unknown): boolean {
    return super.equals(other) && (other as CallbackResolver).fn === this.fn
  }

  protected produce(params: Record<string, unknown>): unknown {
    return this.fn(params)
  }
}

/** A resolver producing a random UUID (v4) once and caching it forever. */
export class UuidResolver extends BagResolver {
  /** Creates the resolver (cached forever). */
  constructor() {
    super({ cacheTime: Number.POSITIVE_INFINITY, readOnly: false })
  }

  protected produce(): unknown {
    return globalThis.crypto.randomUUID()
  }
}
