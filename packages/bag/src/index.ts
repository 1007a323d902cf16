/**
 * `@satchel/bag`: an ordered tree of labelled nodes with values and attributes, dotted paths,
 * change events and lossless typed serialization (TYTX JSON / msgpack, JSON).
 *
 * @packageDocumentation
 */
export {
  Bag,
  type BagInit,
  type BagSetAttrOptions,
  type GetNodeOptions,
  type GetOptions,
  type MutationOptions,
  type SetOptions,
} from './bag.js'
export { BagNode, type NodeSetAttrOptions } from './bag-node.js'
export { Decimal } from './decimal.js'
export { BagError, type BagErrorCode } from './errors.js'
export type {
  AttrChange,
  AttrsDiff,
  BagEvent,
  BagEventCallback,
  BagEventType,
  BagObserver,
  BagSubscription,
  BagTransactionCallback,
  BagTransactionEvent,
  BagUnsubscribeFlags,
} from './events.js'
export type { FromJsonOptions, ToJsonOptions } from './json.js'
export { DEFAULT_MAX_DEPTH, DEFAULT_MAX_INPUT_BYTES, type ParseLimits } from './limits.js'
export type { BagPath } from './path.js'
export { PlainDate } from './plain-date.js'
export { PlainTime } from './plain-time.js'
export type { DigestOptions, QueryOptions, QuerySpecifier, SortKey, SumOptions } from './query.js'
export {
  BagResolver,
  CallbackResolver,
  type RegisterResolverOptions,
  type ResolverCallback,
  type ResolverClass,
  type ResolverDescriptor,
  type ResolverFactory,
  type ResolverOptions,
  registerResolver,
  resolverFromDescriptor,
  UuidResolver,
  type UuidResolverOptions,
  unregisterResolver,
} from './resolver.js'
export type { TreeViewOptions } from './tree-view.js'
export type { FromTytxOptions, ToTytxOptions } from './tytx.js'
export type { BagAttributes } from './values.js'
export type { WalkCallback, WalkOptions } from './walk.js'
export type { FromXmlOptions } from './xml/xml-reader.js'
export type { ToXmlOptions } from './xml/xml-writer.js'
