// Shop and cart handlers. GET handlers only read the session, so a visitor who just looks
// around gets no session and no cookie.
import { addToCart, emptyCart, readCart, removeFromCart } from '../cart.mjs'
import { findProduct } from '../products.mjs'
import { cartPage, shopPage } from '../views/shop.mjs'

export function showShop(rq) {
  return shopPage(rq, readCart(rq.session.data))
}

export function showCart(rq) {
  return cartPage(rq, readCart(rq.session.data))
}

export async function addItem(rq) {
  const product = findProduct((await rq.form()).get('sku') ?? '')
  if (product) addToCart(rq.session.data, product)
  return { redirect: '/cart' }
}

export async function removeItem(rq) {
  removeFromCart(rq.session.data, (await rq.form()).get('sku') ?? '')
  return { redirect: '/cart' }
}

export function emptyTheCart(rq) {
  emptyCart(rq.session.data)
  return { redirect: '/cart' }
}
