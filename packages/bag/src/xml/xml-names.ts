/**
 * Element-name sanitizing of the XML writer (SPEC §12.1).
 * @internal
 */

function isAsciiWordOrDot(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 // digits, A-Z, a-z, _, .
  )
}

/** True when sanitizing leaves the name unchanged. */
function isCleanName(tag: string): boolean {
  const first = tag.charCodeAt(0)
  if ((first >= 48 && first <= 57) || first === 46) return false
  for (let i = 0; i < tag.length; i++) {
    const c = tag.charCodeAt(i)
    if (!isAsciiWordOrDot(c) || (c === 95 && tag.charCodeAt(i + 1) === 95)) return false
  }
  return true
}

/**
 * A sanitized element name with the strings the writer puts around an element, built once per
 * distinct tag (labels repeat a lot: `n0`…`n98` under every branch), so writing an element costs
 * a map lookup instead of a scan and two concatenations.
 */
export interface TagName {
  /** the element name */
  readonly name: string
  /** the tag or label before sanitizing, when it changed (written as `_tag`) */
  readonly original: string | undefined
  /** `<name` */
  readonly open: string
  /** `</name>` */
  readonly close: string
  /** true when the tag holds a `.` (a label with a real dot is written with `_tag`) */
  readonly dotted: boolean
}

function tagName(name: string, original: string | undefined, source: string): TagName {
  return { name, original, open: `<${name}`, close: `</${name}>`, dotted: source.includes('.') }
}

const NONE: TagName = tagName('_none_', undefined, '')
/** Names sanitized without namespaces in scope (bounded: a flood of distinct labels stops caching). */
const sanitized = new Map<string, TagName>()

/**
 * Turns a tag or label into a legal element name: characters other than ASCII letters, digits,
 * `_` and `.` become `_`, runs of `_` collapse, a leading digit (or dot) gets a `_` prefix and an empty name
 * becomes `_none_`. A `prefix:` declared by an `xmlns:prefix` attribute in scope is kept.
 * Returns the name and, when it changed, the original (written as `_tag`).
 */
export function sanitizeTag(tag: string, namespaces: readonly string[]): TagName {
  let hit = sanitized.get(tag)
  if (hit === undefined) {
    hit = tag === '' ? NONE : isCleanName(tag) ? tagName(tag, undefined, tag) : rename(tag)
    if (sanitized.size < 10_000) sanitized.set(tag, hit)
  }
  // Only a renamed tag can depend on the namespaces: a declared `prefix:` keeps it as it is.
  if (hit.original !== undefined && namespaces.length > 0) {
    const colon = tag.indexOf(':')
    if (colon >= 0 && namespaces.includes(tag.slice(0, colon))) return tagName(tag, undefined, tag)
  }
  return hit
}

function rename(tag: string): TagName {
  let name = ''
  let lastUnderscore = false
  for (let i = 0; i < tag.length; i++) {
    const c = tag.charCodeAt(i)
    if (c === 95 || !isAsciiWordOrDot(c)) {
      // Surrogate pairs are one character for Python: consume the low half with the high one.
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < tag.length) {
        const n = tag.charCodeAt(i + 1)
        if (n >= 0xdc00 && n <= 0xdfff) i++
      }
      if (!lastUnderscore) name += '_'
      lastUnderscore = true
    } else {
      name += tag[i]
      lastUnderscore = false
    }
  }
  const first = name.charCodeAt(0)
  // a leading digit (reference rule) or dot (not a legal XML name start either) gets a `_`
  if ((first >= 48 && first <= 57) || first === 46) name = `_${name}`
  return tagName(name, name === tag ? undefined : tag, tag)
}

function isNameStart(c: number): boolean {
  return (
    (c >= 65 && c <= 90) ||
    (c >= 97 && c <= 122) ||
    c === 95 ||
    c === 58 ||
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    (c >= 0x200c && c <= 0x200d) ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd) ||
    (c >= 0xd800 && c <= 0xdfff) // astral planes (surrogates), accepted as name characters
  )
}

function isNameChar(c: number): boolean {
  return (
    isNameStart(c) ||
    c === 45 ||
    c === 46 ||
    (c >= 48 && c <= 57) ||
    c === 0xb7 ||
    (c >= 0x300 && c <= 0x36f) ||
    (c >= 0x203f && c <= 0x2040)
  )
}

/** True when `name` is a legal XML 1.0 name (the writer refuses other attribute and root names). */
export function isXmlName(name: string): boolean {
  return attrName(name).ok
}

/** An attribute name as the writer needs it: whether XML can carry it, and ` name=` to write. */
export interface AttrName {
  /** true when `name` is a legal XML 1.0 name */
  readonly ok: boolean
  /** ` name=`, the text written before the quoted value */
  readonly lead: string
  /** ` name="`, the same with the usual quote */
  readonly leadQuote: string
  /** the prefix an `xmlns:prefix` name declares, else undefined */
  readonly xmlns: string | undefined
}

/** Attribute names seen so far (bounded like the tag cache: attribute names repeat a lot). */
const attrNames = new Map<string, AttrName>()

/** The checked, ready-to-write form of an attribute name (one map lookup per attribute). */
export function attrName(name: string): AttrName {
  let hit = attrNames.get(name)
  if (hit === undefined) {
    hit = {
      ok: checkXmlName(name),
      lead: ` ${name}=`,
      leadQuote: ` ${name}="`,
      xmlns: name.startsWith('xmlns:') ? name.slice(6) : undefined,
    }
    if (attrNames.size < 10_000) attrNames.set(name, hit)
  }
  return hit
}

function checkXmlName(name: string): boolean {
  if (name.length === 0 || !isNameStart(name.charCodeAt(0))) return false
  for (let i = 1; i < name.length; i++) if (!isNameChar(name.charCodeAt(i))) return false
  return true
}
