import { BagError } from './errors.js'

const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/

/** A time of day without date or zone, with microseconds (`HH:MM:SS[.ffffff]`); TYTX code `H`. */
export class PlainTime {
  /** Hour (0–23). */
  readonly hour: number
  /** Minute (0–59). */
  readonly minute: number
  /** Second (0–59). */
  readonly second: number
  /** Microsecond (0–999999). */
  readonly microsecond: number

  /**
   * @param text - an ISO time `HH:MM`, `HH:MM:SS` or `HH:MM:SS.f` (1 to 6 fraction digits)
   * @throws BagError `INVALID_VALUE` when the text is not a valid time
   */
  constructor(text: string) {
    const m = TIME_RE.exec(String(text))
    const hour = Number(m?.[1])
    const minute = Number(m?.[2])
    const second = Number(m?.[3] ?? 0)
    if (!m || hour > 23 || minute > 59 || second > 59) {
      throw new BagError(
        'INVALID_VALUE',
        `not a time (HH:MM:SS): ${JSON.stringify(String(text).slice(0, 80))}`,
      )
    }
    this.hour = hour
    this.minute = minute
    this.second = second
    this.microsecond = Number((m[4] ?? '').padEnd(6, '0'))
  }

  /** ISO text: `HH:MM:SS`, plus `.ffffff` when the microseconds are not zero. */
  toString(): string {
    const base = `${pad2(this.hour)}:${pad2(this.minute)}:${pad2(this.second)}`
    return this.microsecond === 0 ? base : `${base}.${String(this.microsecond).padStart(6, '0')}`
  }

  /** Same as {@link PlainTime.toString}. */
  toJSON(): string {
    return this.toString()
  }

  /** True when `other` is a `PlainTime` for the same instant of the day (to the microsecond). */
  equals(other: unknown): boolean {
    return (
      other instanceof PlainTime &&
      other.hour === this.hour &&
      other.minute === this.minute &&
      other.second === this.second &&
      other.microsecond === this.microsecond
    )
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}
