/**
 * XML writer (SPEC §12.1): iterative, byte-compatible with the reference by default, and the
 * legacy `<GenRoBag>` typed form with `typed: true`.
 * @internal
 */
import { Bag } from '../bag.js'
import type { BagNode } from '../bag-node.js'
import { BagError } from '../errors.js'
import { DEFAULT_MAX_DEPTH } from '../limits.js'
import { pyNumber, pyStr } from './python-text.js'
import { typedAttrText, typedValueText } from './typed-encode.js'
import { stringNeedsTextCode } from './typed-text.js'
import {
  assertXmlChars,
  escapeText,
  escapeTextChecked,
  isPlainAttrValue,
  preEscape,
  quoteAttr,
} from './xml-escape.js'
import { type AttrName, attrName, isXmlName, sanitizeTag, type TagName } from './xml-names.js'

/** Options of `bag.toXml()`. */
export interface ToXmlOptions {
  /** Re-indent with two spaces, as the reference's `pretty=True` does. */
  pretty?: boolean
  /** `true` prefixes `<?xml version='1.0' encoding='UTF-8'?>`; a string is used as the header line. */
  docHeader?: boolean | string
  /** When given, only these tags self-close when empty; the others are written `<tag></tag>`. */
  selfClosedTags?: readonly string[]
  /**
   * Wrap the output in one root element with this name (a well-formed document; reading it back
   * gives a Bag with that one node). Ignored with `typed`, whose root is always `<GenRoBag>`.
   */
  root?: string
  /**
   * Write the legacy `<GenRoBag>` format with `_T` type codes and `::CODE` attribute suffixes:
   * typed scalars, numbers, booleans, null, empty Bags, lists and mappings read back unchanged.
   */
  typed?: boolean
  /** Maximum nesting depth (default 512); deeper Bags (or cycles) throw `BagError('DEPTH_LIMIT')`. */
  maxDepth?: number
}

interface Level {
  nodes: readonly BagNode[]
  index: number
  /** closing tag of the element that holds these nodes ('' at the top) */
  close: string
  namespaces: readonly string[]
}

/** Escapes text for the typed writer: survives the reader's extra un-escape and its newline rule. */
function typedText(text: string): string {
  let t = escapeText(preEscape(text))
  if (t.includes('\r')) t = t.replaceAll('\r', '&#13;')
  if (t.charCodeAt(0) === 10) t = `\n${t}`
  if (t.length > 1 && t.charCodeAt(t.length - 1) === 10) t = `${t}\n`
  return t
}

/** Python minidom's `_write_data` (used by the reference's pretty printer). */
function writeData(text: string): string {
  return escapeText(text).replaceAll('"', '&quot;')
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: characters that need escaping or are refused
const TEXT_ANY_SPECIAL = /[&<>"\r\n\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/

/**
 * Serializes a Bag to XML (see `bag.toXml`).
 * @throws BagError `NOT_SERIALIZABLE` (invalid attribute names, characters XML cannot carry,
 *   values the typed form cannot carry), `DEPTH_LIMIT`
 */
export function writeXml(bag: Bag, opts: ToXmlOptions = {}): string {
  const typed = opts.typed === true
  const pretty = opts.pretty === true
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH
  const selfClosed = opts.selfClosedTags
  const wrapper = typed ? 'GenRoBag' : opts.root
  if (wrapper !== undefined && !isXmlName(wrapper)) {
    throw new BagError('NOT_SERIALIZABLE', `root element name ${JSON.stringify(wrapper)} is not an XML name`)
  }
  const topCount = wrapper === undefined ? bag._nodes.length : 1
  // Pretty output follows minidom: a multi-root fragment is indented as if wrapped, then trimmed.
  const base = topCount > 1 ? 1 : 0
  const nl = pretty ? '\n' : ''
  let out = ''
  const stack: Level[] = [{ nodes: bag._nodes, index: 0, close: '', namespaces: [] }]
  if (wrapper !== undefined) {
    if (bag._nodes.length === 0) out += pretty ? `<${wrapper}/>` : `<${wrapper}></${wrapper}>`
    else {
      out += `<${wrapper}>${nl}`
      ;(stack[0] as Level).close = `</${wrapper}>${nl}`
    }
  }
  const depthOffset = wrapper === undefined ? base : 1
  // attribute names met at each position of the last attribute map, and their checked forms
  const keys: string[] = []
  const keyNames: AttrName[] = []
  /** values of the current node's attributes, by position */
  const values: unknown[] = []
  // tags met at each sibling position, and their sanitized forms: Bags of records repeat their
  // labels position by position (a string compare instead of a map lookup)
  const tagSources: string[] = []
  const tagNames: TagName[] = []
  while (stack.length > 0) {
    const level = stack[stack.length - 1] as Level
    const indent = pretty ? '  '.repeat(stack.length - 1 + depthOffset) : ''
    if (level.index >= level.nodes.length) {
      stack.pop()
      if (level.close !== '')
        out += (pretty && stack.length > 0 ? '  '.repeat(stack.length - 1 + depthOffset) : '') + level.close
      continue
    }
    const node = level.nodes[level.index++] as BagNode
    const attr = node._attr
    // One pass over the attributes: their checked names (remembered by position: siblings
    // mostly share them, and for-in gives the same key strings, so an identity check replaces
    // a map lookup), their values, and the `xmlns:prefix` declarations that put `prefix:` tags in
    // scope, the node's own included. for-in rather than Object.keys: same order (own keys; the
    // prototype has none), no array.
    let count = 0
    let namespaces = level.namespaces
    if (attr !== null) {
      for (const k in attr) {
        let key = keyNames[count] as AttrName
        if (keys[count] !== k) {
          key = attrName(k)
          keys[count] = k
          keyNames[count] = key
        }
        values[count] = attr[k]
        count++
        if (key.xmlns !== undefined) {
          if (namespaces === level.namespaces) namespaces = [...namespaces]
          ;(namespaces as string[]).push(key.xmlns)
        }
      }
    }
    const label = node.label
    const source = typed ? (node._tag ?? label) : (node._xmlTag ?? node._tag ?? label)
    const at = level.index - 1
    let tag: TagName
    // a declared namespace prefix can keep a tag unsanitized: no memo then
    if (namespaces.length > 0) tag = sanitizeTag(source, namespaces)
    else if (tagSources[at] === source) tag = tagNames[at] as TagName
    else {
      tag = sanitizeTag(source, namespaces)
      tagSources[at] = source
      tagNames[at] = tag
    }
    const name = tag.name
    out += pretty ? `${indent}${tag.open}` : tag.open
    let tagAttr: string | undefined
    if (typed) tagAttr = name !== label || label.includes('.') ? label : undefined
    else tagAttr = tag.original ?? (source === label && tag.dotted ? label : undefined)
    if (tagAttr !== undefined) {
      assertXmlChars(tagAttr)
      // `_tag` goes through the reference's attribute decoder: protect labels it would re-type
      // (typed form) and labels ending in `::T` (both forms); satchel's reader drops the suffix.
      if (typed ? stringNeedsTextCode(tagAttr) : tagAttr.endsWith('::T')) tagAttr = `${tagAttr}::T`
      out += ` _tag=${typed ? quoteAttr(preEscape(tagAttr)) : pretty ? `"${writeData(tagAttr)}"` : quoteAttr(tagAttr)}`
    }
    const value = node._value
    const isBag = value instanceof Bag
    let text = ''
    if (typed) {
      let typeCode: string | undefined
      if (isBag) {
        if ((value as Bag)._nodes.length === 0) typeCode = 'BAG'
      } else {
        const t = typedValueText(value)
        typeCode = t.code
        text = t.text
      }
      if (typeCode !== undefined) out += ` _T="${typeCode}"`
    } else if (!isBag && value !== null && value !== undefined) {
      text = pyStr(value)
    }
    for (let i = 0; i < count; i++) {
      const v = values[i]
      if (v === null || v === undefined) continue
      const k = keys[i] as string
      const key = keyNames[i] as AttrName
      if (!key.ok || (tagAttr !== undefined && k === '_tag') || (typed && (k === '_T' || k === '_tag'))) {
        throw new BagError('NOT_SERIALIZABLE', `attribute name ${JSON.stringify(k)} cannot be written to XML`)
      }
      // three appends: a template literal would first build flat copies of the short pieces
      if (!typed && typeof v === 'number') {
        // Python number text: nothing to escape or refuse
        out += key.leadQuote
        out += pyNumber(v)
        out += '"'
        continue
      }
      const s = typed ? preEscape(typedAttrText(v) as string) : pyStr(v)
      if (isPlainAttrValue(s)) {
        out += key.leadQuote
        out += s
        out += '"'
      } else {
        assertXmlChars(s)
        out += key.lead + (typed || !pretty ? quoteAttr(s) : `"${writeData(s)}"`)
      }
    }
    if (isBag && (value as Bag)._nodes.length > 0) {
      if (stack.length >= maxDepth)
        throw new BagError('DEPTH_LIMIT', `Bag nested deeper than maxDepth (${maxDepth})`)
      out += pretty ? '>\n' : '>'
      stack.push({
        nodes: (value as Bag)._nodes,
        index: 0,
        close: pretty ? `${tag.close}\n` : tag.close,
        namespaces,
      })
      continue
    }
    if (text === '') {
      out +=
        selfClosed === undefined || pretty || selfClosed.includes(name)
          ? pretty
            ? '/>\n'
            : '/>'
          : `>${tag.close}`
      continue
    }
    if (!typed && !pretty) {
      // numbers print without characters to escape or refuse
      out += `>${typeof value === 'number' ? text : escapeTextChecked(text)}${tag.close}`
      continue
    }
    if (!TEXT_ANY_SPECIAL.test(text)) {
      out += pretty ? `>${text}${tag.close}\n` : `>${text}${tag.close}`
      continue
    }
    assertXmlChars(text)
    const body = typed
      ? typedText(text)
      : writeData(text.includes('\r') ? text.replaceAll('\r\n', '\n').replaceAll('\r', '\n') : text)
    out += pretty ? `>${body}${tag.close}\n` : `>${body}${tag.close}`
  }
  if (pretty && topCount > 1) out = out.trim()
  let header = ''
  if (opts.docHeader === true) header = "<?xml version='1.0' encoding='UTF-8'?>\n"
  else if (typeof opts.docHeader === 'string') header = `${opts.docHeader}\n`
  return header + out
}
