// Exact decimal arithmetic on the text of Bag `Decimal` values, with BigInt. Money never goes
// through a binary float here: 0.10 + 0.20 is 0.30, not 0.30000000000000004.

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/

/** Parses decimal text ("4.50", "-3", ".5") into { units, scale } meaning units / 10^scale. */
export function parseDecimal(text) {
  const match = DECIMAL_TEXT.exec(String(text).trim())
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new Error(`not a decimal: ${text}`)
  const [, sign, whole, fraction = ''] = match
  const units = BigInt(`${whole || '0'}${fraction}`)
  return { units: sign === '-' ? -units : units, scale: fraction.length }
}

function rescale(value, scale) {
  return value.units * 10n ** BigInt(scale - value.scale)
}

/** Sum of decimal values, exactly. */
export function addDecimals(...values) {
  const scale = Math.max(0, ...values.map((v) => v.scale))
  let units = 0n
  for (const value of values) units += rescale(value, scale)
  return { units, scale }
}

/** A decimal value times an integer quantity, exactly. */
export function multiplyDecimal(value, quantity) {
  return { units: value.units * BigInt(quantity), scale: value.scale }
}

/** Decimal text with at least `minScale` fraction digits ("4.5" → "4.50"). */
export function formatDecimal(value, minScale = 2) {
  const scale = Math.max(value.scale, minScale)
  const units = rescale(value, scale)
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const fraction = digits.slice(digits.length - scale)
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`
}
