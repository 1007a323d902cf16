/** A path: a dotted string (`'a.b.c'`, `'a.#0'`, `'a?attr'`) or an array of verbatim labels. */
export type BagPath = string | readonly string[]

/** A parsed path: segments to walk, and the query part after `?` (or null). */
export interface ParsedPath {
  /** Segments; `'#parent'` stands for one step up (from `../` or `#parent`). */
  readonly segments: string[]
  /** Text after the first `?` of a string path, or null. */
  readonly query: string | null
  /** True when the path was an array: segments are verbatim labels (no `#` syntax). */
  readonly verbatim: boolean
}

const PARENT = '#parent'

/** True when a character code is whitespace that `String.prototype.trim` removes. */
function isSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 160 ||
    c === 0xfeff ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x3000 ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x1680 ||
    c === 0x202f ||
    c === 0x205f
  )
}

/** Parses a path (see SPEC §3.1): trims segments, drops empty ones, keeps `\.` inside a label. */
export function parsePath(path: BagPath): ParsedPath {
  if (typeof path !== 'string') {
    return { segments: Array.from(path, String), query: null, verbatim: true }
  }
  let text = path
  let query: string | null = null
  const q = text.indexOf('?')
  if (q >= 0) {
    query = text.slice(q + 1)
    text = text.slice(0, q)
  }
  const segments: string[] = []
  while (text.startsWith('../')) {
    segments.push(PARENT)
    text = text.slice(3)
  }
  if (text === '..') {
    segments.push(PARENT)
    return { segments, query, verbatim: false }
  }
  if (text.indexOf('\\') < 0) {
    const parts = text.split('.')
    for (let i = 0; i < parts.length; i++) pushSegment(segments, parts[i] as string)
  } else {
    let start = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (c === 92 && text.charCodeAt(i + 1) === 46) {
        i++
      } else if (c === 46) {
        pushSegment(segments, text.slice(start, i))
        start = i + 1
      }
    }
    pushSegment(segments, text.slice(start))
  }
  return { segments, query, verbatim: false }
}

function pushSegment(out: string[], seg: string): void {
  if (seg.length === 0) return
  if (isSpace(seg.charCodeAt(0)) || isSpace(seg.charCodeAt(seg.length - 1))) {
    seg = seg.trim()
    if (seg.length === 0) return
  }
  out.push(seg)
}

/** True when a label contains a dot that is not escaped with a backslash. */
export function hasUnescapedDot(label: string): boolean {
  let i = label.indexOf('.')
  while (i >= 0) {
    if (i === 0 || label.charCodeAt(i - 1) !== 92) return true
    i = label.indexOf('.', i + 1)
  }
  return false
}

/**
 * True for the common path shape that needs no parsing: non-empty dot-separated labels with no
 * `?`, backslash, whitespace or leading `#` (get/set walk such paths without allocating arrays).
 */
export function isSimplePath(s: string): boolean {
  const n = s.length
  if (n === 0) return false
  let segStart = true
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c === 46) {
      if (segStart) return false
      segStart = true
      continue
    }
    if (c === 63 || c === 92 || c <= 32 || (segStart && c === 35)) return false
    if (c >= 128 && isSpace(c)) return false
    segStart = false
  }
  return !segStart
}

/** The `#parent` segment marker. */
export const PARENT_SEGMENT = PARENT
