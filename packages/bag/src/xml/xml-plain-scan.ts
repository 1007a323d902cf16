/**
 * A strict tokenizer for the plain subset of XML that the writers produce: ASCII names,
 * `name="value"` attributes separated by spaces, text with the predefined entities and character
 * references, no comments, CDATA, processing instructions, DOCTYPE or carriage returns. Input
 * inside the subset gives the same events, in the same order, as `saxes` in fragment mode;
 * anything else (including every error) makes it give up, and the caller reads the input again
 * with `saxes`, which then accepts it or reports the error. Profiled on the 10k-node bench XML,
 * `saxes` alone took 11 ms a parse (its generic per-character state machine); this scan, one
 * character-code loop, takes a fraction of that.
 * @internal
 */

/**
 * What the scan reports, in document order (`saxes`'s text, opentag and closetag events; its
 * attribute events arrive gathered with the opening tag, one call per element).
 */
export interface PlainXmlEvents {
  /**
   * a non-empty run of character data, entities decoded (top-level runs included); `amp` is
   * false when the run holds no `&` (the reader then skips its second un-escaping)
   */
  text(text: string, amp: boolean): void
  /**
   * an element opens, with its attributes in document order: the first `count` entries of
   * `names` and `values` (decoded; `amp` false when none holds `&`); the arrays are reused,
   * read them before returning
   */
  open(name: string, names: readonly string[], values: readonly string[], count: number, amp: boolean): void
  /** the innermost open element ends (also right after `open` for `<a/>`) */
  close(): void
}

/** ASCII letters, `_` and `:` (name start characters below U+0080). */
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 58
}

/** ASCII name characters: name starts, digits, `-` and `.`. */
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46
}

/** XML 1.0 `Char` production (what a character reference may produce). */
function isXmlChar(c: number): boolean {
  return (
    c === 9 ||
    c === 10 ||
    c === 13 ||
    (c >= 0x20 && c <= 0xd7ff) ||
    (c >= 0xe000 && c <= 0xfffd) ||
    (c >= 0x10000 && c <= 0x10ffff)
  )
}

/** Text of the reference `&#...;` between `from` and `end` (exclusive), or undefined. */
function charReference(xml: string, from: number, end: number): string | undefined {
  const hex = xml.charCodeAt(from) === 120 // `x` (saxes accepts the lowercase form only)
  let i = hex ? from + 1 : from
  if (i === end || end - i > 8) return undefined
  let code = 0
  for (; i < end; i++) {
    const c = xml.charCodeAt(i)
    let d: number
    if (c >= 48 && c <= 57) d = c - 48
    else if (hex && c >= 97 && c <= 102) d = c - 87
    else if (hex && c >= 65 && c <= 70) d = c - 55
    else return undefined
    code = code * (hex ? 16 : 10) + d
  }
  return isXmlChar(code) ? String.fromCodePoint(code) : undefined
}

/**
 * Decoded text of the entity whose `&` is at `at` and `;` at `semi`, or undefined. Compares char
 * codes in place: no slice of the entity name (text with `&lt;`/`&amp;` is common).
 */
function entityText(xml: string, at: number, semi: number): string | undefined {
  const a = xml.charCodeAt(at + 1)
  const n = semi - at - 1
  if (a === 35) return charReference(xml, at + 2, semi) // `#`
  const b = xml.charCodeAt(at + 2)
  if (n === 2 && xml.charCodeAt(at + 2) === 116) {
    if (a === 108) return '<' // lt
    if (a === 103) return '>' // gt
    return undefined
  }
  if (n === 3 && a === 97 && b === 109 && xml.charCodeAt(at + 3) === 112) return '&' // amp
  if (n === 4) {
    const c = xml.charCodeAt(at + 3)
    const d = xml.charCodeAt(at + 4)
    if (a === 113 && b === 117 && c === 111 && d === 116) return '"' // quot
    if (a === 97 && b === 112 && c === 111 && d === 115) return "'" // apos
  }
  return undefined
}

/** True when `xml` holds exactly `name` from `at` to `end` (compared in place, no slice). */
function holds(xml: string, at: number, end: number, name: string | undefined): name is string {
  return name !== undefined && name.length === end - at && xml.startsWith(name, at)
}

/** Index of the `;` closing the entity at `at` (searched over a short window), or -1. */
function entityEnd(xml: string, at: number): number {
  const stop = Math.min(xml.length, at + 12)
  for (let i = at + 1; i < stop; i++) if (xml.charCodeAt(i) === 59) return i
  return -1
}

/**
 * Scans `xml` as a fragment, reporting events to `events`. Returns false as soon as the input
 * leaves the subset (events already reported must then be discarded): never for input `saxes`
 * reads differently.
 */
export function scanPlainXml(xml: string, events: PlainXmlEvents): boolean {
  const len = xml.length
  const open: string[] = []
  const attrNames: string[] = []
  const attrValues: string[] = []
  // Names repeat by position (records of the same shape): the names met at each sibling
  // position and at each attribute position are reused when the input holds them again (one
  // string per name: its hash and property-key form are computed once, by the engine).
  const childCounts: number[] = [0]
  const elementNames: string[] = []
  const attributeNames: string[] = []
  let text = ''
  // a decoded entity put `&` in the text: only entities can (a bare `&` is refused)
  let textAmp = false
  let start = 0
  let pos = 0
  while (pos < len) {
    const c = xml.charCodeAt(pos)
    // most characters of text are letters: above `>`, below the surrogates, not `]`
    if (c > 62 && c < 0xd800 && c !== 93) {
      pos++
      continue
    }
    if (c === 60) {
      // `<`: report the text before it, then a tag
      if (start < pos) text = text === '' ? xml.slice(start, pos) : text + xml.slice(start, pos)
      if (text !== '') {
        events.text(text, textAmp)
        text = ''
        textAmp = false
      }
      const after = pos + 1 < len ? xml.charCodeAt(pos + 1) : -1
      if (after === 47) {
        // `</name>` closing the innermost open element (no space before `>`)
        const nameAt = pos + 2
        let i = nameAt
        if (i >= len || !isNameStart(xml.charCodeAt(i))) return false
        i++
        while (i < len && isNameChar(xml.charCodeAt(i))) i++
        if (i >= len || xml.charCodeAt(i) !== 62) return false
        const top = open.pop()
        if (!holds(xml, nameAt, i, top)) return false
        events.close()
        pos = i + 1
        start = pos
        continue
      }
      if (!isNameStart(after)) return false // `<!`, `<?`, a non-ASCII name, …
      let i = pos + 2
      while (i < len && isNameChar(xml.charCodeAt(i))) i++
      const at = childCounts[open.length] as number
      childCounts[open.length] = at + 1
      let name = elementNames[at]
      if (!holds(xml, pos + 1, i, name)) {
        name = xml.slice(pos + 1, i)
        elementNames[at] = name
      }
      let attrCount = 0
      let attrAmp = false
      let selfClosing = false
      for (;;) {
        if (i >= len) return false
        let ch = xml.charCodeAt(i)
        if (ch === 62) {
          i++
          break
        }
        if (ch === 47) {
          if (xml.charCodeAt(i + 1) !== 62) return false
          i += 2
          selfClosing = true
          break
        }
        // attributes are separated by spaces (tabs and line ends: left to saxes)
        if (ch !== 32) return false
        do i++
        while (i < len && xml.charCodeAt(i) === 32)
        if (i >= len) return false
        ch = xml.charCodeAt(i)
        if (ch === 62 || ch === 47) continue
        if (!isNameStart(ch)) return false
        const nameAt = i
        i++
        while (i < len && isNameChar(xml.charCodeAt(i))) i++
        // `name="` or `name='` (spaces around `=`: left to saxes)
        if (i + 1 >= len || xml.charCodeAt(i) !== 61) return false
        let attrName = attributeNames[attrCount]
        if (!holds(xml, nameAt, i, attrName)) {
          attrName = xml.slice(nameAt, i)
          attributeNames[attrCount] = attrName
        }
        const quote = xml.charCodeAt(i + 1)
        if (quote !== 34 && quote !== 39) return false
        i += 2
        let value = ''
        let valueAt = i
        for (;;) {
          if (i >= len) return false
          const v = xml.charCodeAt(i)
          if (v === quote) break
          if (v === 38) {
            const semi = entityEnd(xml, i)
            if (semi < 0) return false
            const decoded = entityText(xml, i, semi)
            if (decoded === undefined) return false
            value += xml.slice(valueAt, i) + decoded
            if (decoded === '&') attrAmp = true
            i = semi + 1
            valueAt = i
            continue
          }
          // `<` is an error; tab and line ends are normalized by saxes; surrogates, U+FFFE
          // and U+FFFF need its checks
          if (v < 32 || v === 60 || v >= 0xd800) return false
          i++
        }
        value = value === '' ? xml.slice(valueAt, i) : value + xml.slice(valueAt, i)
        i++
        for (let k = 0; k < attrCount; k++) if (attrNames[k] === attrName) return false
        attrNames[attrCount] = attrName
        attrValues[attrCount++] = value
      }
      events.open(name, attrNames, attrValues, attrCount, attrAmp)
      if (selfClosing) events.close()
      else {
        open.push(name)
        childCounts[open.length] = 0
      }
      pos = i
      start = pos
      continue
    }
    if (c === 38) {
      // `&` in text
      const semi = entityEnd(xml, pos)
      if (semi < 0) return false
      const decoded = entityText(xml, pos, semi)
      if (decoded === undefined) return false
      text += xml.slice(start, pos) + decoded
      if (decoded === '&') textAmp = true
      pos = semi + 1
      start = pos
      continue
    }
    if (c < 32) {
      // tab and newline pass; carriage returns (normalized) and other controls: saxes
      if (c !== 9 && c !== 10) return false
    } else if (c >= 0xd800) {
      return false // surrogates, U+FFFE and U+FFFF: saxes checks them
    } else if (c === 93 && xml.charCodeAt(pos + 1) === 93 && xml.charCodeAt(pos + 2) === 62) {
      return false // `]]>` is not allowed in text
    }
    pos++
  }
  if (open.length > 0) return false
  if (start < len) text += xml.slice(start)
  if (text !== '') events.text(text, textAmp)
  return true
}
