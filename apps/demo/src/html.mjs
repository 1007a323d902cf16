// A tiny HTML template tag: interpolations are escaped unless they are already safe HTML.

const SAFE = Symbol('safe-html')

/** Marks a string as already-escaped HTML. */
export function raw(text) {
  return { [SAFE]: true, text: String(text) }
}

/** Escapes text for an HTML text node or a quoted attribute. */
export function escapeHtml(value) {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

function render(value) {
  if (value === null || value === undefined || value === false) return ''
  if (Array.isArray(value)) return value.map(render).join('')
  if (typeof value === 'object' && value[SAFE] === true) return value.text
  return escapeHtml(value)
}

/** `html\`<p>${text}</p>\`` — returns safe HTML; arrays are joined, null/undefined/false vanish. */
export function html(strings, ...values) {
  let out = strings[0]
  for (let i = 0; i < values.length; i++) out += render(values[i]) + strings[i + 1]
  return raw(out)
}
