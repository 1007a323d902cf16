/**
 * XML reader (SPEC §12.1): a `saxes` event stream turned into a Bag without recursion.
 * @internal
 */
import { SaxesParser } from 'saxes'
import type { Bag } from '../bag.js'
import { BagNode } from '../bag-node.js'
import { BagError, toBagError } from '../errors.js'
import { DEFAULT_MAX_DEPTH, DEFAULT_MAX_INPUT_BYTES, type ParseLimits } from '../limits.js'
import { type BagAttributes, createAttrs, ownSet } from '../values.js'
import { convertTyped, decodeAttrValue } from './typed-text.js'
import { unescapeOnce } from './xml-escape.js'
import { type PlainXmlEvents, scanPlainXml } from './xml-plain-scan.js'

/** Options of `Bag.fromXml`. */
export interface FromXmlOptions extends ParseLimits {
  /** Factory for the value of an element with neither text nor children (default: `''`). */
  empty?: () => unknown
  /** Throw a `BagError` when a legacy `_T` value does not convert (default: store `**INVALID::<code>**`). */
  raiseOnError?: boolean
  /** Name of an attribute whose value becomes the label (dots nest), removed from the attributes. */
  tagAttribute?: string
}

/**
 * Reader state of an open element that has children (a branch), or of the `<GenRoBag>` wrapper.
 * Leaves, the common case, never get a frame: their state lives in the reader's locals.
 */
interface Frame {
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
  /** the element name (becomes the node's xmlTag) */
  name: string
  /** the label: the element name, `_tag` or the tagAttribute value */
  label: string
  /** true when the label is a dotted path to nest (tagAttribute, or a dotted element name) */
  nested: boolean
  /** decoded attributes, null when none */
  attrs: BagAttributes | null
}

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

  // The plain subset (what the writers produce) is read by a strict one-loop scan; outside it the
  // scan gives up and saxes reads the input from the start. A user `empty` factory would see the
  // given-up part twice, so it always goes through saxes.
  if (fragment && opts.empty === undefined) {
    const plain = createBuilder(opts, maxDepth, BagClass)
    if (scanPlainXml(text, plain.events)) return plain.root
  }
  const builder = createBuilder(opts, maxDepth, BagClass)
  const { events } = builder
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
  // saxes does not say whether a decoded `&` is in the text: assume one
  parser.on('text', (t) => events.text(t, true))
  parser.on('cdata', events.cdata)
  // attribute names and values of the element being opened: scratch arrays, overwritten in
  // place (never truncated, so they are not re-grown for every element)
  const attrNames: string[] = []
  const attrValues: string[] = []
  let attrCount = 0
  parser.on('attribute', (a) => {
    attrNames[attrCount] = a.name
    attrValues[attrCount] = a.value
    attrCount++
  })
  parser.on('opentag', (tag) => {
    const count = attrCount
    attrCount = 0
    events.open(tag.name, attrNames, attrValues, count, true)
  })
  parser.on('closetag', () => events.close())
  try {
    parser.write(text)
    parser.close()
  } catch (error) {
    throw toBagError(error, 'PARSE_ERROR', 'invalid XML')
  }
  return builder.root
}

/** The events a tokenizer reports to a {@link createBuilder} (saxes adds CDATA to the plain scan's). */
interface BuilderEvents extends PlainXmlEvents {
  cdata(text: string): void
}

/**
 * A fresh Bag and the event handlers that fill it: the reader state of one parse, fed by saxes or
 * by the plain scan (the same events in the same order).
 */
function createBuilder(
  opts: FromXmlOptions,
  maxDepth: number,
  BagClass: new () => Bag,
): { root: Bag; events: BuilderEvents } {
  const root = new BagClass()
  // open elements that have children; the innermost open element is `pending` instead while it
  // has none (a leaf until a child opens, when it moves onto this stack)
  const frames: Frame[] = []
  let pending = false
  let pName = ''
  let pLabel = ''
  let pNested = false
  let pAttrs: BagAttributes | null = null
  let pType: string | undefined
  let pText = ''
  /** pText may hold `&` (else its second un-escaping is skipped) */
  let pTextAmp = false
  const rootDups = new Map<string, number>()
  let legacy = false
  let topCount = 0
  const tagAttribute = opts.tagAttribute
  const raiseOnError = opts.raiseOnError === true
  const empty = opts.empty

  function onText(t: string, amp: boolean): void {
    if (pending) {
      pText = pText === '' ? t : pText + t
      if (amp) pTextAmp = true
    } else if (frames.length > 0) (frames[frames.length - 1] as Frame).text += t
    else if (t.trim() !== '') throw new BagError('PARSE_ERROR', 'text outside the root element')
  }
  function onCdata(t: string): void {
    if (pending) {
      pText += t
      pTextAmp = true
    } else if (frames.length > 0) (frames[frames.length - 1] as Frame).text += t
    else throw new BagError('PARSE_ERROR', 'CDATA outside the root element')
  }
  function onOpen(
    name: string,
    attrNames: readonly string[],
    attrValues: readonly string[],
    count: number,
    amp: boolean,
  ): void {
    if (frames.length + (pending ? 1 : 0) >= maxDepth)
      throw new BagError('DEPTH_LIMIT', `XML nested deeper than maxDepth (${maxDepth})`)
    if (pending) {
      // the pending element gets its first child: it becomes a branch
      frames.push({
        text: pText,
        bag: null,
        type: pType,
        wrapper: false,
        dups: null,
        name: pName,
        label: pLabel,
        nested: pNested,
        attrs: pAttrs,
      })
      pending = false
      pAttrs = null
      pText = ''
    }
    const parent = frames[frames.length - 1]
    if (parent === undefined) {
      topCount++
      if (topCount === 1 && name.toLowerCase() === 'genrobag') {
        legacy = true
        frames.push({
          text: '',
          bag: root,
          type: undefined,
          wrapper: true,
          dups: rootDups,
          name,
          label: name,
          nested: false,
          attrs: null,
        })
        return
      }
      if (legacy) throw new BagError('PARSE_ERROR', 'a <GenRoBag> document has a single root element')
    } else {
      const ptext = parent.text
      if (!legacy && ptext !== '' && ptext.trim() !== '') {
        const value = unescapeOnce(joinText(ptext))
        if (value !== '') {
          parent.bag ??= new BagClass()
          parent.bag.set('_', value)
        }
      }
      parent.text = ''
      parent.bag ??= new BagClass()
    }
    // decode the attributes: one pass picks out `_tag`, `_T` and tagAttribute
    let type: string | undefined
    let attrs: BagAttributes | null = null
    let tagLabel: string | undefined
    let attrLabel: string | undefined
    for (let i = 0; i < count; i++) {
      const k = attrNames[i] as string
      const raw = attrValues[i] as string
      if (k === tagAttribute) attrLabel = raw
      else if (k === '_tag') tagLabel = raw
      else if (legacy && k === '_T') type = raw
      else {
        const v = decodeAttrValue(amp ? unescapeOnce(raw) : raw)
        if (v === null || v === undefined) continue
        attrs ??= createAttrs()
        if (k === '__proto__') ownSet(attrs, k, v)
        else attrs[k] = v
      }
    }
    let label = name
    let nested = false
    if (attrLabel !== undefined) {
      label = unescapeOnce(attrLabel)
      nested = true
    } else if (tagLabel !== undefined) {
      // a `::T` suffix protects the label from the reference's attribute decoder
      label = unescapeOnce(tagLabel)
      if (label.endsWith('::T')) label = label.slice(0, -3)
    } else nested = name.includes('.')
    pending = true
    pName = name
    pLabel = label
    pNested = nested
    pAttrs = attrs
    pType = type
    pText = ''
    pTextAmp = false
  }
  function onClose(): void {
    if (pending) {
      // a leaf
      pending = false
      const type = pType
      const text = pText
      const amp = pTextAmp
      const attrs = pAttrs
      pAttrs = null
      pText = ''
      pTextAmp = false
      let value: unknown
      if (text !== '') {
        const raw = type === 'BAG' || !amp ? joinText(text) : unescapeOnce(joinText(text))
        if (raw === '') value = emptyValue(type)
        else if (legacy && type !== undefined && type !== 'T') value = legacyConvert(raw, type, raiseOnError)
        else value = raw
      } else value = emptyValue(type)
      const parent = frames[frames.length - 1]
      if (parent === undefined) insert(root, rootDups, null, pName, pLabel, pNested, value, attrs)
      else insert(parent.bag as Bag, parent.dups, parent, pName, pLabel, pNested, value, attrs)
      return
    }
    const frame = frames.pop() as Frame
    if (frame.wrapper) return
    const bag = frame.bag as Bag
    const text = frame.text
    const trimmed = text === '' ? '' : joinText(text).trim()
    if (trimmed !== '') bag.set('_', frame.type === 'BAG' ? trimmed : unescapeOnce(trimmed))
    const parent = frames[frames.length - 1]
    if (parent === undefined)
      insert(root, rootDups, null, frame.name, frame.label, frame.nested, bag, frame.attrs)
    else
      insert(parent.bag as Bag, parent.dups, parent, frame.name, frame.label, frame.nested, bag, frame.attrs)
  }

  function emptyValue(type: string | undefined): unknown {
    if (empty !== undefined) return empty()
    if (!legacy || type === undefined || type === 'T') return ''
    if (type === 'BAG') return new BagClass()
    return legacyConvert('', type, raiseOnError)
  }

  function insert(
    dest: Bag,
    dups: Map<string, number> | null,
    parent: Frame | null,
    name: string,
    nodeLabel: string,
    nested: boolean,
    value: unknown,
    attrs: BagAttributes | null,
  ): void {
    let label = nodeLabel
    // Sibling counts are kept only once a label repeats: a first occurrence is the common case.
    const existing = nested ? undefined : dest._index.get(label)
    if (nested || existing !== undefined) {
      if (dups === null) {
        dups = new Map()
        ;(parent as Frame).dups = dups
      }
      const count = dups.get(label) ?? (nested ? 0 : 1)
      dups.set(label, count + 1)
      if (count > 0) label = `${label}_${count}`
    }
    if (!nested && !dest._backref && (existing === undefined || !dest._index.has(label))) {
      // fast path: a new one-level label in a fresh Bag (no events, nothing to merge)
      const node = new BagNode(label)
      node._value = value === undefined ? null : value
      node._attr = attrs
      node._parentBag = dest
      node._xmlTag = name
      dest._nodes.push(node)
      dest._index.set(label, node)
      return
    }
    const path: string | string[] = nested ? label : [label]
    const node: BagNode = attrs === null ? dest.set(path, value) : dest.set(path, value, attrs)
    node.xmlTag = name
  }

  return {
    root,
    events: { text: onText, cdata: onCdata, open: onOpen, close: onClose },
  }
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
