import { Bag } from './bag.js'
import type { BagNode } from './bag-node.js'
import { BagError, toBagError } from './errors.js'
import { isPlainObject, ownSet, valuesEqual } from './values.js'

/** Options shared by every resolver. */
export interface ResolverOptions {
  /**
   * Seconds a produced value is cached in the node: 0 = no caching, Infinity = forever.
   * @default 0
   */
  cacheTime?: number
  /**
   * When true the produced value is returned but not stored in the node.
   * @default true when `cacheTime` is 0 and neither `interval` nor `reactive` is set, else false
   */
  readOnly?: boolean
  /**
   * Turn produced plain objects, arrays and JSON/XML text into a Bag.
   * @default false
   */
  asBag?: boolean
  /**
   * Active refresh (SPEC §11.4): while the resolver is attached to a node of a Bag, reload every
   * `interval` seconds and write the value through the node (an `upd_value` event when it
   * changed). Reads in between return the cached value. The timer does not keep the process (or
   * an otherwise unreachable Bag) alive; {@link BagResolver.dispose} stops it.
   * @example new CallbackResolver(fetchRates, { interval: 60 })
   */
  interval?: number
  /**
   * Reload (coalesced to the next microtask) and write through the node when a parameter
   * attribute of the node changes (`setAttr`, `?k=v` reads).
   * @default false
   */
  reactive?: boolean
}

/** Option and descriptor names that configure a resolver instead of parameterizing the producer. */
const INTERNAL = new Set([
  'cacheTime',
  'readOnly',
  'cache_time',
  'read_only',
  'interval',
  'reactive',
  'asBag',
  'as_bag',
  'retry_policy',
])

/** The JSON form of a resolver (SPEC §11.5, §12.2): what the reference writes in `to_json`. */
export interface ResolverDescriptor {
  /** Module of the class in the reference (`genro_bag.resolvers.uuid_resolver`), or the registration's module. */
  resolver_module: string
  /** Class name: the key under which the class is registered. */
  resolver_class: string
  /** Positional constructor arguments. */
  args: unknown[]
  /** Parameters and options, snake_case (`cache_time: false` = forever). */
  kwargs: Record<string, unknown>
}

/** Builds a resolver from a descriptor's `args` and its `kwargs` turned into resolver options. */
export type ResolverFactory = (
  args: readonly unknown[],
  options: ResolverOptions & Record<string, unknown>,
) => BagResolver

/** Any resolver class (abstract or not). */
export type ResolverClass = abstract new (...args: never[]) => BagResolver

/** Options of {@link registerResolver}. */
export interface RegisterResolverOptions {
  /**
   * Name written as `resolver_class` and looked up when reading.
   * @default the class name
   */
  name?: string
  /**
   * Module written as `resolver_module` (ignored when reading).
   * @default 'satchel'
   */
  module?: string
  /**
   * Builds an instance from a descriptor.
   * @default `new cls(options)` (for classes whose constructor takes the options object)
   */
  create?: ResolverFactory
}

interface Registration {
  name: string
  module: string
  create: ResolverFactory
}

const registryByName = new Map<string, Registration>()
const registryByClass = new Map<ResolverClass, Registration>()

/**
 * Makes a resolver class serializable: `toJson` writes its descriptor, `fromJson` rebuilds it.
 * Only registered classes are ever built from JSON (a descriptor cannot name arbitrary code).
 * @example registerResolver(RatesResolver) // constructor(options) builds it from the kwargs
 */
export function registerResolver(cls: ResolverClass, opts?: RegisterResolverOptions): void {
  const name = opts?.name ?? cls.name
  if (typeof name !== 'string' || name === '')
    throw new BagError('INVALID_VALUE', 'registerResolver needs a class name')
  const create: ResolverFactory =
    opts?.create ??
    ((_args, options) =>
      new (cls as unknown as new (o: ResolverOptions & Record<string, unknown>) => BagResolver)(options))
  const previous = registryByName.get(name)
  if (previous !== undefined) {
    for (const [k, v] of registryByClass) if (v === previous) registryByClass.delete(k)
  }
  const reg: Registration = { name, module: opts?.module ?? 'satchel', create }
  registryByName.set(name, reg)
  registryByClass.set(cls, reg)
}

/** Removes a registration made by {@link registerResolver} (by class name). */
export function unregisterResolver(name: string): void {
  const reg = registryByName.get(name)
  if (reg === undefined) return
  registryByName.delete(name)
  for (const [k, v] of registryByClass) if (v === reg) registryByClass.delete(k)
}

/** Resolver options from descriptor kwargs (snake_case or camelCase; `cache_time: false` = forever). */
function optionsFromKwargs(kwargs: Record<string, unknown>): ResolverOptions & Record<string, unknown> {
  const out = Object.create(null) as ResolverOptions & Record<string, unknown>
  for (const k of Object.keys(kwargs)) {
    const v = kwargs[k]
    switch (k) {
      case 'cache_time':
      case 'cacheTime':
        out.cacheTime = v === false ? Number.POSITIVE_INFINITY : (v as number)
        break
      case 'read_only':
      case 'readOnly':
        if (v !== null) out.readOnly = v as boolean
        break
      case 'interval':
        if (v !== null) out.interval = v as number
        break
      case 'reactive':
        if (v !== null) out.reactive = v as boolean
        break
      case 'as_bag':
      case 'asBag':
        if (v !== null) out.asBag = v as boolean
        break
      case 'retry_policy':
        break
      default:
        ownSet(out, k, v)
    }
  }
  return out
}

/**
 * Rebuilds a resolver from its descriptor (SPEC §11.5). The new resolver has not loaded: its
 * first read produces a fresh value (a UUID resolver makes a new UUID).
 * @throws BagError `PARSE_ERROR` for a malformed descriptor or a class nobody registered
 */
export function resolverFromDescriptor(descriptor: unknown): BagResolver {
  if (!isPlainObject(descriptor)) throw new BagError('PARSE_ERROR', 'a resolver descriptor must be an object')
  const cls = descriptor.resolver_class
  const args = Object.hasOwn(descriptor, 'args') ? descriptor.args : []
  const kwargs = Object.hasOwn(descriptor, 'kwargs') ? descriptor.kwargs : {}
  if (typeof cls !== 'string') throw new BagError('PARSE_ERROR', 'resolver descriptor without resolver_class')
  if (!Array.isArray(args) || !(isPlainObject(kwargs) || kwargs === null)) {
    throw new BagError('PARSE_ERROR', 'resolver descriptor args must be an array and kwargs an object')
  }
  const reg = registryByName.get(cls)
  if (reg === undefined) {
    throw new BagError(
      'PARSE_ERROR',
      `unknown resolver class ${JSON.stringify(cls.slice(0, 80))}: register it with registerResolver()`,
    )
  }
  try {
    return reg.create(args, optionsFromKwargs(kwargs ?? {}))
  } catch (error) {
    throw toBagError(error, 'PARSE_ERROR', `resolver ${cls} cannot be rebuilt from its descriptor`)
  }
}

function noop(): void {}

function bagParamsEqual(x: unknown, y: unknown): boolean | undefined {
  return x instanceof Bag || y instanceof Bag
    ? x instanceof Bag && y instanceof Bag && x.equals(y)
    : undefined
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (
    (typeof v === 'object' || typeof v === 'function') &&
    v !== null &&
    typeof (v as { then?: unknown }).then === 'function'
  )
}

/** `setInterval` handle, typed for Node and browsers alike. */
type TimerHandle = ReturnType<typeof setInterval>

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
  /** Seconds between active reloads while attached to a node, or null. */
  readonly interval: number | null
  /** True when a change of a parameter attribute reloads the value at once. */
  readonly reactive: boolean
  /** The resolver's own parameters (merged with node attributes and call parameters at load time). */
  params: Record<string, unknown>
  /** The error of the last failed background reload (interval or reactive), cleared by a success. */
  lastError: unknown = undefined
  /** @internal time (ms) the cached value was stored, or null */
  _cachedAt: number | null = null
  /** @internal */
  _pending: Promise<unknown> | null = null
  /** @internal the node the resolver is attached to (last attachment wins) */
  _node: BagNode | null = null
  /** @internal interval timer */
  private _timer: TimerHandle | null = null
  /** @internal a refresh scheduled for the next microtask (shared by every trigger until it starts) */
  private _queued: Promise<unknown> | null = null
  /** @internal the refresh in flight */
  private _running: Promise<unknown> | null = null

  /**
   * @param opts - `cacheTime`, `readOnly`, `asBag`, `interval`, `reactive` and any extra parameters
   *   for the producer
   * @throws BagError `INVALID_VALUE` for a negative or non-numeric `cacheTime`, an `interval` that is
   *   not a positive number, or `readOnly: true` with `interval` or `reactive`
   */
  constructor(opts?: ResolverOptions & Record<string, unknown>) {
    const cacheTime = opts?.cacheTime ?? 0
    if (typeof cacheTime !== 'number' || Number.isNaN(cacheTime) || cacheTime < 0) {
      throw new BagError('INVALID_VALUE', 'cacheTime must be a number >= 0 (Infinity = forever)')
    }
    const interval = opts?.interval ?? null
    if (
      interval !== null &&
      (typeof interval !== 'number' || !(interval > 0) || !Number.isFinite(interval))
    ) {
      throw new BagError('INVALID_VALUE', 'interval must be a finite number of seconds > 0')
    }
    const reactive = opts?.reactive === true
    if (opts?.readOnly === true && (interval !== null || reactive)) {
      throw new BagError(
        'INVALID_VALUE',
        'readOnly cannot be combined with interval or reactive: a refresh writes the value into the node',
      )
    }
    this.cacheTime = cacheTime
    this.interval = interval
    this.reactive = reactive
    this.readOnly = opts?.readOnly ?? (cacheTime === 0 && interval === null && !reactive)
    this.asBag = opts?.asBag === true
    const params: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    if (opts) for (const k of Object.keys(opts)) if (!INTERNAL.has(k)) params[k] = opts[k]
    this.params = params
  }

  /** True when producing needs `await` (the sync read then returns only the cache). */
  get isAsync(): boolean {
    return false
  }

  /** True when there is no valid cached value (with an `interval`, a loaded value stays valid). */
  get expired(): boolean {
    if (this.readOnly || this._cachedAt === null) return true
    if (this.interval !== null || this.cacheTime === Number.POSITIVE_INFINITY) return false
    if (this.cacheTime === 0) return true
    return Date.now() - this._cachedAt >= this.cacheTime * 1000
  }

  /**
   * Invalidates the cache: the next read produces again. With `refresh: true` the value is also
   * reloaded now (coalesced with other refresh triggers of the same tick) and written through
   * the node; a failure is kept in {@link BagResolver.lastError}.
   * @throws BagError `INVALID_VALUE` for `refresh: true` on a read-only resolver
   */
  reset(opts?: { refresh?: boolean }): void {
    this._cachedAt = null
    if (opts?.refresh === true) this._background(this.refresh())
  }

  /**
   * Reloads now (coalesced with other refresh triggers of the same tick: one load) and writes the
   * value through the attached node, firing `upd_value` when it changed. Resolves to the value.
   * @throws BagError `INVALID_VALUE` on a read-only resolver
   */
  refresh(): Promise<unknown> {
    if (this.readOnly) {
      throw new BagError('INVALID_VALUE', 'a read-only resolver cannot refresh: it stores no value')
    }
    if (this._queued !== null) return this._queued
    const previous = this._running
    const queued = (previous === null ? Promise.resolve() : previous.then(noop, noop)).then(() => {
      if (this._queued === queued) this._queued = null
      const run = this._reload()
      this._running = run
      const clear = (): void => {
        if (this._running === run) this._running = null
      }
      run.then(clear, clear)
      return run
    })
    this._queued = queued
    return queued
  }

  /** Stops the interval timer and detaches the resolver from its node's refresh machinery. */
  dispose(): void {
    this._stopTimer()
    this._node = null
  }

  /** Two resolvers are equal when they have the same class, options and (deeply equal) parameters. */
  equals(other: unknown): boolean {
    if (!(other instanceof BagResolver) || other.constructor !== this.constructor) return false
    const a = Object.keys(this.params)
    const b = Object.keys(other.params)
    return (
      a.length === b.length &&
      a.every(
        (k) => Object.hasOwn(other.params, k) && valuesEqual(this.params[k], other.params[k], bagParamsEqual),
      ) &&
      other.cacheTime === this.cacheTime &&
      other.readOnly === this.readOnly &&
      other.interval === this.interval &&
      other.reactive === this.reactive
    )
  }

  /**
   * The JSON descriptor written by `toJson` (SPEC §12.2), or null when the class is not
   * registered with {@link registerResolver} (the node is then written without its resolver).
   */
  toDescriptor(): ResolverDescriptor | null {
    const reg = registryByClass.get(this.constructor as ResolverClass)
    if (reg === undefined) return null
    return {
      resolver_module: reg.module,
      resolver_class: reg.name,
      args: this.descriptorArgs(),
      kwargs: this.descriptorKwargs(),
    }
  }

  /** Positional arguments of the descriptor (default none). */
  protected descriptorArgs(): unknown[] {
    return []
  }

  /** Keyword arguments of the descriptor: the parameters, then the options in reference spelling. */
  protected descriptorKwargs(): Record<string, unknown> {
    const kw = Object.create(null) as Record<string, unknown>
    for (const k of Object.keys(this.params)) ownSet(kw, k, this.params[k])
    kw.cache_time = this.cacheTime === Number.POSITIVE_INFINITY ? false : this.cacheTime
    kw.read_only = this.readOnly
    if (this.interval !== null) kw.interval = this.interval
    if (this.reactive) kw.reactive = true
    if (this.asBag) kw.as_bag = true
    return kw
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

  /** @internal the resolver was put on `node`: remembers it and starts the interval timer. */
  _attach(node: BagNode): void {
    this._node = node
    if (this.interval !== null && this._timer === null) {
      const ref = new WeakRef(this)
      const timer: TimerHandle = setInterval(() => {
        const self = ref.deref()
        if (self === undefined) clearInterval(timer)
        else self._tick()
      }, this.interval * 1000)
      // the timer must not keep a Node process alive
      ;(timer as { unref?: () => void }).unref?.()
      this._timer = timer
    }
  }

  /** @internal the resolver was taken off `node` (replaced or removed). */
  _detach(node: BagNode): void {
    if (this._node !== node) return
    this._node = null
    this._stopTimer()
  }

  /** @internal attributes of the node changed: invalidate, and reload when reactive. */
  _attrsChanged(node: BagNode, names: readonly string[]): void {
    if (!names.some((k) => !INTERNAL.has(k))) return
    this._cachedAt = null
    if (this.reactive && this._node === node) this._background(this.refresh())
  }

  private _tick(): void {
    const node = this._node
    const bag = node?._parentBag ?? null
    if (node === null || node._resolver !== this || bag === null || bag._lookup(node.label) !== node) {
      // the node left its Bag or the resolver was replaced: nothing left to refresh
      this._stopTimer()
      return
    }
    this._background(this.refresh())
  }

  private _stopTimer(): void {
    if (this._timer !== null) {
      clearInterval(this._timer)
      this._timer = null
    }
  }

  private _background(p: Promise<unknown>): void {
    p.then(
      () => {
        this.lastError = undefined
      },
      (error: unknown) => {
        this.lastError = error
      },
    )
  }

  /** One active reload: produce with the merged parameters, then write through the node. */
  private async _reload(): Promise<unknown> {
    const node = this._node
    const params = node === null ? { ...this.params } : this._params(node, undefined)
    let out = this.produce(params)
    if (isThenable(out)) out = await out
    const value = this.asBag ? toBag(out) : out
    if (node === null || node._resolver !== this) return value
    this._cachedAt = Date.now()
    Bag._updateNode(node, value === undefined ? null : value, undefined, { resolver: this })
    return value
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
    if (this.readOnly) return value
    node._value = value === undefined ? null : value
    const parent = node._parentBag
    if (value instanceof Bag && parent !== null && parent._backref && parent._lookup(node.label) === node) {
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

/** Options of {@link UuidResolver}. */
export interface UuidResolverOptions {
  /**
   * UUID version; only random UUIDs are produced.
   * @default 'uuid4'
   */
  version?: 'uuid4'
}

/**
 * A resolver producing a random UUID (v4) once and caching it forever. Serializable: `toJson`
 * writes the reference's descriptor and `fromJson` rebuilds it (a rebuilt one makes a new UUID on
 * its first read, as the reference does).
 */
export class UuidResolver extends BagResolver {
  /**
   * Creates the resolver (cached forever).
   * @throws BagError `INVALID_VALUE` for a version other than `'uuid4'`
   */
  constructor(opts?: UuidResolverOptions) {
    const version = opts?.version ?? 'uuid4'
    if (version !== 'uuid4')
      throw new BagError('INVALID_VALUE', `unsupported UUID version ${String(version)}`)
    super({ version, cacheTime: Number.POSITIVE_INFINITY, readOnly: false })
  }

  protected override descriptorArgs(): unknown[] {
    return [this.params.version]
  }

  protected produce(): unknown {
    return globalThis.crypto.randomUUID()
  }
}

registerResolver(UuidResolver, {
  module: 'genro_bag.resolvers.uuid_resolver',
  create: (args, options) => {
    const version = args.length > 0 ? args[0] : options.version
    return new UuidResolver(version === undefined ? {} : { version: version as 'uuid4' })
  },
})
