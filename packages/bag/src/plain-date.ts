import { BagError } from './errors.js'

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/

/** True when the year/month/day triple is a real calendar date. */
export function isValidYmd(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0
  return day <= days
}

/** A calendar date without time or zone (`YYYY-MM-DD`); TYTX code `D`. */
export class PlainDate {
  /** Year (1–9999). */
  readonly year: number
  /** Month (1–12). */
  readonly month: number
  /** Day of month (1–31). */
  readonly day: number

  /**
   * @param text - an ISO date `YYYY-MM-DD`
   * @throws BagError `INVALID_VALUE` when the text is not a valid date
   */
  constructor(text: string) {
    const m = DATE_RE.exec(String(text))
    const year = Number(m?.[1])
    const month = Number(m?.[2])
    const day = Number(m?.[3])
    if (!m || year < 1 || !isValidYmd(year, month, day)) {
      throw new BagError(
        'INVALID_VALUE',
        `not a date (YYYY-MM-DD): ${JSON.stringify(String(text).slice(0, 80))}`,
      )
    }
    this.year = year
    this.month = month
    this.day = day
  }

  /** `YYYY-MM-DD`. */
  toString(): string {
    return `${String(this.year).padStart(4, '0')}-${String(this.month).padStart(2, '0')}-${String(this.day).padStart(2, '0')}`
  }

  /** `YYYY-MM-DD`. */
  toJSON(): string {
    return this.toString()
  }

  /** True when `other` is a `PlainDate` for the same day. */
  equals(other: unknown): boolean {
    return (
      other instanceof PlainDate &&
      other.year === this.year &&
      other.month === this.month &&
      other.day === this.day
    )
  }
}
