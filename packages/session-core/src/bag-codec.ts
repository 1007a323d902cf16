import { Bag, Decimal, PlainDate, PlainTime } from '@satchel/bag'
import { SessionError } from './session-error.js'

function bagErrorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : undefined
}

/**
 * A Bag as TYTX msgpack bytes, the format every store keeps.
 * @throws SessionError `NOT_SERIALIZABLE` for values no store can persist, `SESSION_TOO_LARGE`
 * when the Bag is nested beyond the Bag's depth limit.
 */
export function encodeBag(bag: Bag): Uint8Array {
  try {
    return bag.toTytx({ transport: 'msgpack' }) as Uint8Array
  } catch (error) {
    const code = bagErrorCode(error)
    if (code === 'DEPTH_LIMIT' || code === 'SIZE_LIMIT') {
      throw new SessionError('SESSION_TOO_LARGE', 'session data is nested too deeply', { cause: error })
    }
    throw new SessionError(
      'NOT_SERIALIZABLE',
      `session data holds a value no store can persist: ${(error as Error)?.message ?? String(error)}`,
      { cause: error },
    )
  }
}

/** A Bag from TYTX msgpack bytes. @throws SessionError `CORRUPT_RECORD`. */
export function decodeBag(bytes: Uint8Array): Bag {
  try {
    return Bag.fromTytx(bytes)
  } catch (error) {
    throw new SessionError('CORRUPT_RECORD', 'stored session data cannot be decoded', { cause: error })
  }
}

/** A Bag as TYTX JSON text (the dump format). */
export function bagToJson(bag: Bag): string {
  return bag.toTytx({ transport: 'json' }) as string
}

/** A Bag from TYTX JSON text. @throws the Bag's error on bad input. */
export function bagFromJson(text: string): Bag {
  return Bag.fromTytx(text)
}

function isImmutable(value: unknown): boolean {
  const type = typeof value
  return (
    value === null ||
    value === undefined ||
    type === 'string' ||
    type === 'number' ||
    type === 'boolean' ||
    type === 'bigint' ||
    value instanceof Decimal ||
    value instanceof PlainDate ||
    value instanceof PlainTime
  )
}

/**
 * Decodes bytes into a Bag that may serve as a template for `deepcopy()`: only when every value
 * and attribute is immutable (strings, numbers, booleans, bigints, Decimal, PlainDate, PlainTime,
 * nested Bags). `deepcopy()` shares values, so a Date or an array would leak in-place mutations
 * from one request into the next; such Bags give undefined and are decoded per request.
 */
export function decodeTemplate(bytes: Uint8Array): Bag | undefined {
  const template = decodeBag(bytes)
  return holdsOnlyImmutables(template) ? template : undefined
}

/**
 * A template (see {@link decodeTemplate}) copied from a live Bag, for a store that keeps a record
 * hot across its own write: the copy is taken when the record is written, so later changes to
 * the live Bag do not reach it. Undefined when a value is mutable.
 */
export function copyTemplate(bag: Bag): Bag | undefined {
  return holdsOnlyImmutables(bag) ? bag.deepcopy() : undefined
}

const isMutable = (value: unknown): boolean => !isImmutable(value)

// Runs on every write of a hot session: it walks the Bag without copying its node list and
// without `node.attr`, which would give each node an empty attribute map that every later copy
// of the template copies again.
function holdsOnlyImmutables(bag: Bag): boolean {
  const stack: Bag[] = [bag]
  while (stack.length > 0) {
    for (const node of stack.pop()!) {
      const value = node.staticValue
      if (value instanceof Bag) stack.push(value)
      else if (!isImmutable(value)) return false
      if (node.someAttr(isMutable)) return false
    }
  }
  return true
}
