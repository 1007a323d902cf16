// Draws a Bag as an HTML tree: each node's label, value, value type and typed attributes.
import { Bag, Decimal, PlainDate, PlainTime } from '@satchel/bag'
import { html } from '../html.mjs'

/** The name of a value's type as the Bag sees it (Decimal, Date, Bag, number, ...). */
export function typeName(value) {
  if (value === null) return 'null'
  if (value === undefined) return 'undefined'
  if (value instanceof Bag) return 'Bag'
  if (value instanceof Decimal) return 'Decimal'
  if (value instanceof PlainDate) return 'PlainDate'
  if (value instanceof PlainTime) return 'PlainTime'
  if (value instanceof Date) return 'Date'
  if (value instanceof Uint8Array) return 'bytes'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** A short text for a scalar value. */
export function showValue(value) {
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'string') return JSON.stringify(value)
  if (value instanceof Uint8Array) return `${value.length} bytes`
  if (typeof value === 'object' && value !== null && !(value instanceof Decimal)) {
    if (value instanceof PlainDate || value instanceof PlainTime) return String(value)
    return JSON.stringify(value)
  }
  return String(value)
}

function attributeEntries(node) {
  const attrs = node.attr
  if (!attrs) return []
  return attrs instanceof Map ? [...attrs.entries()] : Object.entries(attrs)
}

function renderNode(node) {
  const value = node.value
  const attrs = attributeEntries(node)
  return html`<li data-path-label="${node.label}">
    <span class="label">${node.label}</span>
    ${value instanceof Bag ? '' : html`<span class="value">${showValue(value)}</span>`}
    <span class="type">${typeName(value)}</span>
    ${
      attrs.length > 0
        ? html`<span class="attrs">${attrs.map(
            ([name, attr]) =>
              html`<span class="attr"><b>${name}</b>=${showValue(attr)} <i>${typeName(attr)}</i></span>`,
          )}</span>`
        : ''
    }
    ${value instanceof Bag ? renderBagTree(value) : ''}
  </li>`
}

/** The Bag as nested lists; an empty Bag says so. */
export function renderBagTree(bag) {
  if (bag.length === 0) return html`<p class="empty">(empty Bag)</p>`
  return html`<ul class="tree">${[...bag].map(renderNode)}</ul>`
}
