/**
 * XML reader (SPEC §12.1): a `saxes` event stream turned into a Bag without recursion.
 * @internal
 */
import { SaxesParser } from 'saxes'
import type { Bag } from '../bag.js'
import { BagNode } from '../bag-node.js'
import { BagError, toBagError } from '../errors.js'
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_INPUT_BYTES, type ParseLimits } from '../limits.js'
import { type BagAttributes, createAttrs } from '../values.js'
import { convertTyped, decodeAttrValue } from './typed-text.js'
import { unescapeOnce } from './xml-escape.js'

/** Options of `Bag.fromXml`. */
export interface FromXmlOptions extends ParseLimits {
  /** Factory for the value of an element with neither text nor children (default: `''`). */
  empty?: () => unknown
  /** Throw a `BagError` when a legacy `_T` value does not convert (default: store `**INVALID::<code>**`). */
  raiseOnError?: boolean
  /** Name of an attribute whose value becomes the label (dots nest), removed from the attributes. */
  tagAttribute?: string
}

interface Frame {
  /** element name */
  name: string
  /** attribute names, in document order */
  names: string[]
  /** raw attribute values (entities already decoded by the tokenizer) */
  values: string[]
  /** text since the element opened or its last child started */
  text: string
  /** the element's Bag, created when its first child (or mixed text) arrives */
  bag: Bag | null
  /** legacy `_T` code */
  type: string | undefined
  /** true for the `<GenRoBag>` wrapper, whose children go straight into the result */
  wrapper: boolean
  /** duplicate-label counters of the children */
  dups: Map<string, number> | null
}

/** Shared by every element without attributes (never written to). */
const NO_NAMES: string[] = []

/** Drops exactly one leading and one trailing newline (reference rule). */
function joinText(text: string): string {
  let s = text
  if (s.charCodeAt(0) === 10) s = s.slice(1)
  if (s.charCodeAt(s.length - 1) === 10) s = s.slice(0, -1)
  return s
}

function skipSpace(text: string, from: number): number {
  let i = from
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break
    i++
  }
  return i
}

function utf8Length(text: string, limit: number): number {
  // Fast bound: every UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length * 3 <= limit) return text.length
  return Buffer.byteLength(text, 'utf8')
}

/**
 * Parses XML text into a new Bag (see `Bag.fromXml`).
 * @param BagClass - the Bag constructor (passed in to keep module loading free of cycles)
 */
export function readXml(input: string | Uint8Array, opts: FromXmlOptions, BagClass: new () => Bag): Bag {
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH
  const maxBytes = opts.maxInputBytes ?? DEFAULT_MAX_INPUT_BYTES
  let text: string
  if (typeof input === 'string') {
    if (utf8Length(input, maxBytes) > maxBytes) {
      throw new BagError('SIZE_LIMIT', `XML input larger than maxInputBytes (${maxBytes})`)
    }
    text = input
  } else if (input instanceof Uint8Array) {
    if (input.byteLength > maxBytes)
      throw new BagError('SIZE_LIMIT', `XML input larger than maxInputBytes (${maxBytes})`)
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input)
    } catch (error) {
      throw toBagError(error, 'PARSE_ERROR', 'XML input is not valid UTF-8')
    }
  } else {
    throw new BagError('PARSE_ERROR', 'XML input must be a string or a Uint8Array')
  }
  try {
    return parse(text, opts, maxDepth, BagClass)
  } catch (error) {
    throw toBagError(error, 'PARSE_ERROR', 'invalid XML')
  }
}

function parse(input: string, opts: FromXmlOptions, maxDepth: number, BagClass: new () => Bag): Bag {
  // A document with a prolog is read as a document (one root); anything else as a fragment, so the
  // writer's multi-root output reads back. The XML declaration is checked by the tokenizer.
  let text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input
  let start = skipSpace(text, 0)
  let fragment = true
  if (text.startsWith('<?xml', start) && skipSpace(text, start + 5) > start + 5) {
    const end = text.indexOf('?>', start)
    if (end < 0) throw new BagError('PARSE_ERROR', 'unterminated XML declaration')
    const declCheck = new SaxesParser()
    declCheck.write(`${text.slice(start, end + 2)}<x/>`).close()
    text = text.slice(end + 2)
    start = skipSpace(text, 0)
  }
  if (text.startsWith('<!DOCTYPE', start)) fragment = false

  const root = new BagClass()
  const stack: Frame[] = []
  const rootDups = new Map<string, number>()
  let legacy = false
  let topCount = 0
  const tagAttribute = opts.tagAttribute
  const raiseOnError = opts.raiseOnError === true
  const empty = opts.empty

  // position: false skips line/column tracking, a fifth of the tokenizer's time.
  const parser = new SaxesParser({ fragment, position: false })
  parser.on('doctype', (doctype) => {
    if (doctype.includes('<!ENTITY') || doctype.includes('SYSTEM') || doctype.includes('PUBLIC')) {
      throw new BagError(
        'PARSE_ERROR',
        'DOCTYPE with entity declarations or external subsets is not accepted',
      )
    }
  })
  parser.on('text', (t) => {
    const top = stack[stack.length - 1]
    if (top === undefined) {
      if (t.trim() !== '') throw new BagError('PARSE_ERROR', 'text outside the root element')
      return
    }
    top.text += t
  })
  parser.on('cdata', (t) => {
    const top = stack[stack.length - 1]
    if (top === undefined) throw new BagError('PARSE_ERROR', 'CDATA outside the root element')
    top.text += t
  })
  let names: string[] = []
  let values: string[] = []
  parser.on('attribute', (a) => {
    names.push(a.name)
    values.push(a.value)
  })
  parser.on('opentag', (tag) => {
    const depth = stack.length + 1
    if (depth > maxDepth) throw new BagError('DEPTH_LIMIT', `XML nested deeper than maxDepth (${maxDepth})`)
    let frameNames = NO_NAMES
    let frameValues = NO_NAMES
    if (names.length > 0) {
      frameNames = names
      frameValues = values
      names = []
      values = []
    }
    let type: string | undefined
    const parent = stack[stack.length - 1]
    if (parent === undefined) {
      topCount++
      if (topCount === 1 && tag.name.toLowerCase() === 'genrobag') {
        legacy = true
        stack.push({
          name: tag.name,
          names: frameNames,
          values: frameValues,
          text: '',
          bag: root,
          type,
          dups: rootDups,
          wrapper: true,
        })
        return
      }
      if (legacy) throw new BagError('PARSE_ERROR', 'a <GenRoBag> document has a single root element')
    } else {
      if (legacy) {
        const t = frameNames.indexOf('_T')
        if (t >= 0) {
          type = frameValues[t]
          frameNames.splice(t, 1)
          frameValues.splice(t, 1)
        }
      } else if (parent.text !== '' && parent.text.trim() !== '') {
        const value = unescapeOnce(joinText(parent.text))
        if (value !== '') {
          parent.bag ??= new BagClass()
          parent.bag.set('_', value)
        }
      }
      parent.text = ''
      parent.bag ??= new BagClass()
    }
    stack.push({
      name: tag.name,
      names: frameNames,
      values: frameValues,
      text: '',
      bag: null,
      type,
      dups: null,
      wrapper: false,
    })
  })
  parser.on('closetag', () => {
    const frame = stack.pop() as Frame
    if (frame.wrapper) return
    const type = frame.type
    let raw = joinText(frame.text)
    if (type !== 'BAG') raw = unescapeOnce(raw)
    let value: unknown = raw
    if (frame.bag !== null) {
      const trimmed = raw.trim()
      if (trimmed !== '') frame.bag.set('_', trimmed)
      value = frame.bag
    } else if (raw !== '') {
      if (legacy && type !== undefined && type !== 'T') value = legacyConvert(raw, type, raiseOnError)
    } else if (empty !== undefined) {
      value = empty()
    } else if (legacy && type === 'BAG') {
      value = new BagClass()
    } else if (legacy && type !== undefined && type !== 'T') {
      value = legacyConvert('', type, raiseOnError)
    }
    const parent = stack[stack.length - 1]
    setIntoParent(parent === undefined ? root : (parent.bag as Bag), parent ?? null, frame, value)
  })

  function setIntoParent(dest: Bag, parent: Frame | null, frame: Frame, value: unknown): void {
    const fnames = frame.names
    const fvalues = frame.values
    let path: string | string[]
    let skipTag = -1
    let skipLabel = -1
    if (fnames.length > 0) skipTag = fnames.indexOf('_tag')
    if (skipTag >= 0) {
      // a `::T` suffix protects the label from the reference's attribute decoder
      const label = unescapeOnce(fvalues[skipTag] as string)
      path = [label.endsWith('::T') ? label.slice(0, -3) : label]
    } else path = frame.name.includes('.') ? frame.name : [frame.name]
    if (tagAttribute !== undefined && fnames.length > 0) {
      skipLabel = fnames.indexOf(tagAttribute)
      if (skipLabel >= 0) path = unescapeOnce(fvalues[skipLabel] as string)
    }
    const key = typeof path === 'string' ? path : (path[0] as string)
    // Sibling counts are kept only once a label repeats: a first occurrence is the common case.
    if (typeof path === 'string' || dest._index.has(key)) {
      let dups: Map<string, number>
      if (parent === null) dups = rootDups
      else {
        parent.dups ??= new Map()
        dups = parent.dups
      }
      const count = dups.get(key) ?? (typeof path === 'string' ? 0 : 1)
      dups.set(key, count + 1)
      if (count > 0) {
        const label = `${key}_${count}`
        path = typeof path === 'string' ? label : [label]
      }
    }
    let decoded: BagAttributes | null = null
    for (let i = 0; i < fnames.length; i++) {
      if (i === skipTag || i === skipLabel) continue
      const v = decodeAttrValue(unescapeOnce(fvalues[i] as string))
      if (v === null || v === undefined) continue
      decoded ??= createAttrs()
      decoded[fnames[i] as string] = v
    }
    if (typeof path !== 'string' && !dest._backref && !dest._index.has(path[0] as string)) {
      // fast path: a new one-level label in a fresh Bag (no events, nothing to merge)
      const label = path[0] as string
      const node = new BagNode(label)
      node._value = value === undefined ? null : value
      node._attr = decoded
      node._parentBag = dest
      node._xmlTag = frame.name
      dest._nodes.push(node)
      dest._index.set(label, node)
      return
    }
    const node: BagNode = decoded === null ? dest.set(path, value) : dest.set(path, value, decoded)
    node.xmlTag = frame.name
  }

  try {
    parser.write(text)
    parser.close()
  } catch (error) {
    throw toBagError(error, 'PARSE_ERROR', 'invalid XML')
  }
  return root
}

function legacyConvert(text: string, type: string, raiseOnError: boolean): unknown {
  try {
    return convertTyped(text, type)
  } catch (error) {
    if (raiseOnError) {
      throw new BagError(
        'PARSE_ERROR',
        `legacy value ${JSON.stringify(text.slice(0, 40))} is not of type ${type}`,
        {
          cause: error,
        },
      )
    }
    return `**INVALID::${type}**`
  }
}
