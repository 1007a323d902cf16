// The shop and cart pages.

import { html } from '../html.mjs'
import { PRODUCTS } from '../products.mjs'
import { formatTime } from './format.mjs'
import { layout } from './layout.mjs'

function addButton(sku, label = 'Add to cart') {
  return html`<form class="inline" method="post" action="/cart/add">
    <input type="hidden" name="sku" value="${sku}"><button data-testid="add-${sku}">${label}</button></form>`
}

/** The shop front page. */
export function shopPage(rq, cart) {
  const body = html`
<p class="note">Nothing is stored and no cookie is set while you only look around. Add something to the
cart or sign in, and a session starts (open your browser's dev tools to watch the <code>sid</code> cookie
appear). The cart lives in <code>session.data</code> as a Bag; the
<a href="/inspector">session inspector</a> draws it.</p>
<table>
  <thead><tr><th>Product</th><th class="num">Price (${cart.currency})</th><th></th></tr></thead>
  <tbody>${PRODUCTS.map(
    (product) =>
      html`<tr><td>${product.name}</td><td class="num">${product.price}</td><td>${addButton(product.sku)}</td></tr>`,
  )}</tbody>
</table>
<p><a href="/cart" data-testid="cart-link">Cart: ${cart.count} item${cart.count === 1 ? '' : 's'}, ${cart.currency} ${cart.total}</a></p>`
  return layout({ title: 'Shop', rq, body })
}

/** The cart page: lines from the Bag, exact totals. */
export function cartPage(rq, cart) {
  const body =
    cart.lines.length === 0
      ? html`<p data-testid="cart-empty">Your cart is empty. <a href="/">Go shopping.</a></p>`
      : html`
<table data-testid="cart">
  <thead><tr><th>Product</th><th class="num">Quantity</th><th class="num">Price</th><th class="num">Line total</th><th>Added</th><th></th></tr></thead>
  <tbody>${cart.lines.map(
    (line) => html`<tr data-testid="line-${line.sku}">
      <td>${line.name}</td><td class="num" data-testid="qty-${line.sku}">${line.quantity}</td>
      <td class="num">${line.price}</td><td class="num">${line.total}</td>
      <td>${line.addedAt instanceof Date ? formatTime(line.addedAt.getTime()) : ''}</td>
      <td>${addButton(line.sku, '+')}
        <form class="inline" method="post" action="/cart/remove"><input type="hidden" name="sku" value="${line.sku}"><button>−</button></form></td>
    </tr>`,
  )}</tbody>
  <tfoot><tr><th>Total</th><th class="num">${cart.count}</th><th></th>
    <th class="num" data-testid="cart-total">${cart.currency} ${cart.total}</th><th colspan="2"></th></tr></tfoot>
</table>
<p>Totals are summed from the Bag's <code>Decimal</code> prices with exact decimal arithmetic
(a sticker and a pin cost exactly 0.30).</p>
<form method="post" action="/cart/empty"><button data-testid="empty-cart">Empty the cart</button></form>`
  return layout({ title: 'Cart', rq, body })
}
