// The shop's catalogue. Prices are decimal text; the cart stores them as Bag `Decimal`s.
// The 0.10 and 0.20 items are there on purpose: their total is exactly 0.30 in the cart.

/** @type {ReadonlyArray<{ sku: string, name: string, price: string }>} */
export const PRODUCTS = Object.freeze([
  { sku: 'tea', name: 'Green tea, 100 g', price: '4.50' },
  { sku: 'mug', name: 'Satchel mug', price: '12.90' },
  { sku: 'notebook', name: 'Dotted notebook', price: '7.35' },
  { sku: 'sticker', name: 'Sticker', price: '0.10' },
  { sku: 'pin', name: 'Enamel pin', price: '0.20' },
])

/** The product with this sku, or undefined. */
export function findProduct(sku) {
  return PRODUCTS.find((product) => product.sku === sku)
}
