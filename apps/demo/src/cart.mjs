// The shop cart, kept in `session.data` as a Bag under `cart`: one node per product, labelled by
// sku, whose value is the product name and whose attributes are quantity (number), price
// (Decimal) and addedAt (Date). Totals are computed from the Bag with exact decimal arithmetic.
import { Bag, Decimal } from '@satchel/bag'
import { addDecimals, formatDecimal, multiplyDecimal, parseDecimal } from './decimal-math.mjs'

export const CURRENCY = 'EUR'

/** Adds one of `product` to the cart in `data` (creating the cart on first use). */
export function addToCart(data, product) {
  if (!data.getNode('cart')?.isBranch) data.set('cart', new Bag(), { currency: CURRENCY })
  const path = `cart.${product.sku}`
  const quantity = data.getAttr(path, 'quantity')
  if (typeof quantity === 'number') {
    data.setAttr(path, { quantity: quantity + 1 })
  } else {
    data.set(path, product.name, { quantity: 1, price: new Decimal(product.price), addedAt: new Date() })
  }
}

/** Removes one of `sku` from the cart; the line goes when its quantity reaches zero. */
export function removeFromCart(data, sku) {
  const path = `cart.${sku}`
  const quantity = data.getAttr(path, 'quantity')
  if (typeof quantity !== 'number') return
  if (quantity > 1) data.setAttr(path, { quantity: quantity - 1 })
  else data.pop(path)
}

/** Empties the cart (removes the `cart` node). */
export function emptyCart(data) {
  if (data.has('cart')) data.pop('cart')
}

/** The cart's lines and exact totals, read from the Bag. */
export function readCart(data) {
  const cart = data.get('cart')
  const lines = []
  if (cart instanceof Bag) {
    for (const node of cart) {
      const price = parseDecimal(String(node.getAttr('price')))
      const quantity = Number(node.getAttr('quantity'))
      const lineTotal = multiplyDecimal(price, quantity)
      lines.push({
        sku: node.label,
        name: String(node.value),
        quantity,
        price: formatDecimal(price),
        addedAt: node.getAttr('addedAt'),
        total: lineTotal,
      })
    }
  }
  const total = addDecimals(...lines.map((line) => line.total))
  const count = lines.reduce((sum, line) => sum + line.quantity, 0)
  return {
    currency: CURRENCY,
    count,
    lines: lines.map((line) => ({ ...line, total: formatDecimal(line.total) })),
    total: formatDecimal(total),
  }
}
