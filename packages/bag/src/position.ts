import type { Bag } from './bag.js'
import { BagError } from './errors.js'

function digits(text: string): number | null {
  if (text.length === 0 || text.length > 15) return null
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 48 || c > 57) return null
  }
  return Number(text)
}

function invalid(spec: unknown): BagError {
  return new BagError('INVALID_POSITION', `invalid node position: ${JSON.stringify(spec)}`)
}

/**
 * Insertion index for a new node (SPEC §4.4): `'>'`/undefined append, `'<'` first, integers
 * (negative from the end), `'#n'`, `'<label'`, `'>label'`, `'<#n'`, `'>#n'`.
 * @throws BagError `INVALID_POSITION` for malformed specs and unknown labels
 */
export function resolveInsertIndex(bag: Bag, spec: number | string | null | undefined): number {
  const len = bag._nodes.length
  if (spec === undefined || spec === null || spec === '>') return len
  if (typeof spec === 'number') {
    if (!Number.isInteger(spec)) throw invalid(spec)
    return spec >= 0 ? Math.min(spec, len) : Math.max(0, len + spec)
  }
  if (typeof spec !== 'string') throw invalid(spec)
  if (spec === '<') return 0
  const head = spec.charCodeAt(0)
  if (head === 35) {
    const n = digits(spec.slice(1))
    if (n === null) throw invalid(spec)
    return Math.min(n, len)
  }
  if (head === 60 || head === 62) {
    const before = head === 60
    const ref = spec.slice(1)
    if (ref.charCodeAt(0) === 35 && bag._lookup(ref) === undefined) {
      const n = digits(ref.slice(1))
      if (n === null) throw invalid(spec)
      return Math.min(before ? n : n + 1, len)
    }
    const node = bag._lookup(ref)
    if (node === undefined) throw invalid(spec)
    const i = bag._nodes.indexOf(node)
    return before ? i : i + 1
  }
  throw invalid(spec)
}
