import { Bag, Decimal } from '@satchel/bag'
import { describe, expect, it } from 'vitest'
import { addToCart, emptyCart, readCart, removeFromCart } from './cart.mjs'
import { findProduct } from './products.mjs'

function product(sku: string) {
  const found = findProduct(sku)
  if (!found) throw new Error(`no product ${sku}`)
  return found
}

describe('the cart kept in a Bag', () => {
  it('stores one node per product with quantity, Decimal price and Date attributes', () => {
    const data = new Bag()
    addToCart(data, product('tea'))
    addToCart(data, product('tea'))
    const node = data.getNode('cart.tea')
    expect(node?.value).toBe('Green tea, 100 g')
    expect(node?.getAttr('quantity')).toBe(2)
    expect(node?.getAttr('price')).toBeInstanceOf(Decimal)
    expect(String(node?.getAttr('price'))).toBe('4.50')
    expect(node?.getAttr('addedAt')).toBeInstanceOf(Date)
    expect(data.getAttr('cart', 'currency')).toBe('EUR')
  })

  it('totals the lines exactly from the Bag', () => {
    const data = new Bag()
    for (const sku of ['sticker', 'pin', 'tea', 'tea', 'mug']) addToCart(data, product(sku))
    const cart = readCart(data)
    expect(cart.count).toBe(5)
    expect(cart.lines.map((line) => [line.sku, line.quantity, line.total])).toEqual([
      ['sticker', 1, '0.10'],
      ['pin', 1, '0.20'],
      ['tea', 2, '9.00'],
      ['mug', 1, '12.90'],
    ])
    expect(cart.total).toBe('22.20')
  })

  it('removes a line when its quantity reaches zero, and empties the cart', () => {
    const data = new Bag()
    addToCart(data, product('pin'))
    addToCart(data, product('mug'))
    removeFromCart(data, 'pin')
    expect(data.has('cart.pin')).toBe(false)
    expect(readCart(data).total).toBe('12.90')
    emptyCart(data)
    expect(data.length).toBe(0)
    expect(readCart(data)).toMatchObject({ count: 0, lines: [], total: '0.00' })
  })

  it('reads an absent cart as empty without writing to the Bag', () => {
    const data = new Bag()
    let events = 0
    data.subscribe('watch', { any: () => void events++ })
    expect(readCart(data).count).toBe(0)
    expect(events).toBe(0)
  })
})
