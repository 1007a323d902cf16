/**
 * Escaping rules of the XML writer, byte-compatible with the reference (Python `saxutils`).
 * @internal
 */
import { BagError } from '../errors.js'

const TEXT_SPECIAL = /[&<>]/
const ATTR_SPECIAL = /[&<>"'\n\r\t]/

/** Escapes text content: `&`, `<`, `>` (quotes and line ends are written as they are). */
export function escapeText(text: string): string {
  if (!TEXT_SPECIAL.test(text)) return text
  let out = ''
  let last = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    let rep: string | undefined
    if (c === 38) rep = '&amp;'
    else if (c === 60) rep = '&lt;'
    else if (c === 62) rep = '&gt;'
    if (rep !== undefined) {
      out += text.slice(last, i) + rep
      last = i + 1
    }
  }
  return last === 0 ? text : out + text.slice(last)
}

/**
 * Quotes an attribute value like Python's `saxutils.quoteattr`: escapes `&`, `<`, `>`, newline,
 * carriage return and tab; uses `"` unless the value holds `"` and no `'`.
 */
export function quoteAttr(value: string): string {
  if (!ATTR_SPECIAL.test(value)) return `"${value}"`
  let out = ''
  let last = 0
  let hasDouble = false
  let hasSingle = false
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    let rep: string | undefined
    if (c === 38) rep = '&amp;'
    else if (c === 60) rep = '&lt;'
    else if (c === 62) rep = '&gt;'
    else if (c === 10) rep = '&#10;'
    else if (c === 13) rep = '&#13;'
    else if (c === 9) rep = '&#9;'
    else if (c === 34) hasDouble = true
    else if (c === 39) hasSingle = true
    if (rep !== undefined) {
      out += value.slice(last, i) + rep
      last = i + 1
    }
  }
  const escaped = last === 0 ? value : out + value.slice(last)
  if (!hasDouble) return `"${escaped}"`
  if (!hasSingle) return `'${escaped}'`
  return `"${escaped.replaceAll('"', '&quot;')}"`
}

/** Refuses a character XML 1.0 cannot carry (C0 controls other than tab, LF, CR; U+FFFE, U+FFFF). */
function badChar(c: number): BagError {
  return new BagError(
    'NOT_SERIALIZABLE',
    `XML cannot carry the character U+${c.toString(16).padStart(4, '0')}`,
  )
}

/** Throws for the first character XML 1.0 cannot carry. */
export function assertXmlChars(text: string): void {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 32 ? c !== 9 && c !== 10 && c !== 13 : c >= 0xfffe) throw badChar(c)
  }
}

/**
 * {@link escapeText} and {@link assertXmlChars} in one scan (the plain writer's text): most
 * characters are above `>` and below U+FFFE, so they cost one comparison each, and text with
 * nothing to escape comes back as it is, without a copy.
 * @throws BagError `NOT_SERIALIZABLE` for a character XML cannot carry
 */
export function escapeTextChecked(text: string): string {
  let out = ''
  let last = 0
  const len = text.length
  for (let i = 0; i < len; i++) {
    const c = text.charCodeAt(i)
    if (c > 62) {
      if (c >= 0xfffe) throw badChar(c)
      continue
    }
    let rep: string
    if (c === 38) rep = '&amp;'
    else if (c === 60) rep = '&lt;'
    else if (c === 62) rep = '&gt;'
    else {
      if (c < 32 && c !== 9 && c !== 10 && c !== 13) throw badChar(c)
      continue
    }
    out += last === i ? rep : text.slice(last, i) + rep
    last = i + 1
  }
  if (last === 0) return text
  return last === len ? out : out + text.slice(last)
}

/**
 * True when `value` can be written between double quotes as it is: nothing to escape, no quote to
 * choose, nothing XML refuses. One scan (the compact writers' attributes); most characters cost
 * one comparison. Otherwise the caller checks and quotes with {@link assertXmlChars} and
 * {@link quoteAttr}.
 */
export function isPlainAttrValue(value: string): boolean {
  const len = value.length
  for (let i = 0; i < len; i++) {
    const c = value.charCodeAt(i)
    if (c > 62) {
      if (c >= 0xfffe) return false
      continue
    }
    // & < > " ' and controls (tab, LF, CR are escaped, the others refused)
    if (c === 38 || c === 60 || c === 62 || c === 34 || c === 39 || c < 32) return false
  }
  return true
}

/**
 * The reference reader un-escapes `&lt;`, `&gt;` and `&amp;` once more after the XML parser
 * decoded the entities (Python `saxutils.unescape`); satchel reads the same way.
 */
export function unescapeOnce(text: string): string {
  let i = text.indexOf('&')
  // most texts hold no `&`, or only a bare one (the tokenizer already decoded the entities)
  while (i >= 0) {
    if (text.startsWith('lt;', i + 1) || text.startsWith('gt;', i + 1) || text.startsWith('amp;', i + 1)) {
      // One pass gives the same result as Python's three sequential replaces (the three patterns
      // cannot overlap, and no replacement creates an earlier pattern).
      return text.replace(ENTITY, unescapeEntity)
    }
    i = text.indexOf('&', i + 1)
  }
  return text
}

const ENTITY = /&(lt|gt|amp);/g
function unescapeEntity(_match: string, name: string): string {
  return name === 'lt' ? '<' : name === 'gt' ? '>' : '&'
}

/** The inverse of {@link unescapeOnce}: used by the typed writer so that strings survive it. */
export function preEscape(text: string): string {
  if (!text.includes('&') && !text.includes('<') && !text.includes('>')) return text
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
}
