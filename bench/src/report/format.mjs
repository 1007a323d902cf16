// Number formatting for the Markdown tables. Missing values print as an en dash.

const dash = '–'

/** Fixed decimals, or a dash for null/undefined/non-finite. */
export function fixed(value, digits) {
  return value === null || value === undefined || !Number.isFinite(value) ? dash : value.toFixed(digits)
}

/** Whole number with thousands separators. */
export function whole(value) {
  return value === null || value === undefined || !Number.isFinite(value)
    ? dash
    : Math.round(value).toLocaleString('en-US')
}

/** A share in [0, 1] as a percentage. */
export function percent(value) {
  return value === null || value === undefined || !Number.isFinite(value)
    ? dash
    : `${Math.round(value * 100)}%`
}

/** Signed number, e.g. +12.3 / −4.0. */
export function signed(value, digits) {
  if (value === null || value === undefined || !Number.isFinite(value)) return dash
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`
}

/** A Markdown table from a header list and rows of cells. */
export function table(header, rows) {
  const line = (cells) => `| ${cells.map((c) => String(c).replaceAll('|', '\\|')).join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}
