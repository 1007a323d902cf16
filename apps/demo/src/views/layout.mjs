// The page frame every page shares: who you are, your tags, which framework served the page.
import { html } from '../html.mjs'

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#222;background:#fafaf7}
header{background:#2d3a2e;color:#eee;padding:.6rem 1.2rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center}
header a{color:#dfe8c8}header nav{display:flex;gap:.8rem;flex-wrap:wrap}
.who{margin-left:auto}.tag{background:#556b2f;color:#fff;border-radius:3px;padding:0 .35rem;margin-left:.25rem;font-size:.85em}
.fw{background:#eee;color:#222;border-radius:3px;padding:0 .4rem;font-weight:600}
main{max-width:60rem;margin:1.2rem auto;padding:0 1.2rem}
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.3rem .6rem;text-align:left}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
form.inline{display:inline}button{cursor:pointer}
.tree{list-style:none;padding-left:1.1rem;border-left:1px dotted #999}.tree li{margin:.15rem 0}
.label{font-weight:600}.value{color:#064;margin-left:.4rem}.type{color:#888;font-size:.8em;margin-left:.4rem}
.attrs{margin-left:.6rem}.attr{background:#eef;border-radius:3px;padding:0 .3rem;margin-right:.3rem;font-size:.85em}
.attr i{color:#888}.note{background:#fff8dc;border:1px solid #e6d690;padding:.5rem .8rem}
dl.meta{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}dl.meta dt{font-weight:600}
.error{color:#a00}
`

/** A whole page. */
export function layout({ title, rq, body, status = 200 }) {
  const { avatar, site, path } = rq
  const other = site.other
  return {
    status,
    html: html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title} · satchel demo (${site.framework})</title><style>${STYLE}</style></head>
<body>
<header>
  <strong>satchel demo</strong>
  <span>served by <span class="fw" data-testid="framework">${site.framework}</span>${
    other
      ? html` · <a href="${other.url}${path}" data-testid="other-app">same page on ${other.framework}</a>`
      : ''
  }</span>
  <nav>
    <a href="/">Shop</a><a href="/cart">Cart</a><a href="/inspector">Session inspector</a>
    <a href="/sessions">My sessions</a><a href="/editor">Editor</a><a href="/admin">Admin</a>
  </nav>
  <span class="who">${
    avatar.isAnonymous
      ? html`<span data-testid="identity">anonymous</span> · <a href="/login">sign in</a>`
      : html`signed in as <b data-testid="identity">${avatar.identity}</b>
        <span data-testid="tags">${avatar.tags.map((tag) => html`<span class="tag">${tag}</span>`)}</span>
        <form class="inline" method="post" action="/logout"><button data-testid="logout">Log out</button></form>`
  }</span>
</header>
<main>
<h1>${title}</h1>
${body}
</main>
</body></html>`.text,
  }
}
