/**
 * Element-name sanitizing of the XML writer (SPEC §12.1).
 * @internal
 */

function isAsciiWordOrDot(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46 // digits, A-Z, a-z, _, .
  )
}

const cleanCache = new Map<string, boolean>()

/** True when sanitizing leaves the name unchanged (cached: element names repeat a lot). */
function isCleanName(tag: string): boolean {
  const cached = cleanCache.get(tag)
  if (cached !== undefined) return cached
  let clean = true
  const first = tag.charCodeAt(0)
  if ((first >= 48 && first <= 57) || first === 46) clean = false
  for (let i = 0; clean && i < tag.length; i++) {
    const c = tag.charCodeAt(i)
    if (!isAsciiWordOrDot(c) || (c === 95 && tag.charCodeAt(i + 1) === 95)) clean = false
  }
  if (cleanCache.size < 10_000) cleanCache.set(tag, clean)
  return clean
}

/**
 * Turns a tag or label into a legal element name: characters other than ASCII letters, digits,
 * `_` and `.` become `_`, runs of `_` collapse, a leading digit (or dot) gets a `_` prefix and an empty name
 * becomes `_none_`. A `prefix:` declared by an `xmlns:prefix` attribute in scope is kept.
 * Returns the name and, when it changed, the original (written as `_tag`).
 */
export function sanitizeTag(
  tag: string,
  namespaces: readonly string[],
): Readonly<{ name: string; original?: string }> {
  if (tag === '') return NONE
  if (namespaces.length === 0) {
    let hit = sanitized.get(tag)
    if (hit === undefined) {
      hit = isCleanName(tag) ? { name: tag } : rename(tag)
      if (sanitized.size < 10_000) sanitized.set(tag, hit)
    }
    return hit
  }
  if (isCleanName(tag)) return { name: tag }
  const colon = tag.indexOf(':')
  if (colon >= 0 && namespaces.includes(tag.slice(0, colon))) return { name: tag }
  return rename(tag)
}

const NONE: Readonly<{ name: string; original?: string }> = { name: '_none_' }
const sanitized = new Map<string, Readonly<{ name: string; original?: string }>>()

function rename(tag: string): { name: string; original?: string } {
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
  return name === tag ? { name } : { name, original: tag }
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

const nameCache = new Map<string, boolean>()

/** True when `name` is a legal XML 1.0 attribute name (the writer refuses others). */
export function isXmlName(name: string): boolean {
  const cached = nameCache.get(name)
  if (cached !== undefined) return cached
  const ok = checkXmlName(name)
  if (nameCache.size < 10_000) nameCache.set(name, ok)
  return ok
}

function checkXmlName(name: string): boolean {
  if (name.length === 0 || !isNameStart(name.charCodeAt(0))) return false
  for (let i = 1; i < name.length; i++) if (!isNameChar(name.charCodeAt(i))) return false
  return true
}
