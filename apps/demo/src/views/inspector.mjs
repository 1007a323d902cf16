// The session inspector: meta, auth, avatar and both Bags, drawn with their types.
import { html } from '../html.mjs'
import { renderBagTree, showValue, typeName } from './bag-tree.mjs'
import { formatTime, relative } from './format.mjs'
import { layout } from './layout.mjs'

function timeRow(label, epochMs, testId) {
  return html`<dt>${label}</dt><dd data-testid="${testId}">${formatTime(epochMs)} <small>${relative(epochMs)}</small></dd>`
}

function tytxOf(bag) {
  try {
    return String(bag.toTytx({ transport: 'json' }))
  } catch (error) {
    return `(not serializable: ${error instanceof Error ? error.message : String(error)})`
  }
}

/** The inspector page. `view` holds what the handler read from the session. */
export function inspectorPage(rq, view) {
  const { session, digest, stored } = view
  const meta = session.meta
  const idleExpiry = meta.lastAccess + meta.ttl * 1000
  const absoluteExpiry = meta.absoluteTtl === null ? null : meta.createdAt + meta.absoluteTtl * 1000
  const auth = session.auth
  const avatar = session.avatar
  const body = html`
<p class="note">${
    stored
      ? html`This session is stored (digest <code data-testid="digest">${digest}</code>). The store knows it only
        by this SHA-256 digest of the id in your cookie.`
      : html`<span data-testid="not-stored">This is a fresh, empty session: it is not stored and no cookie was set.</span>
        It starts when you add something to the cart or sign in.`
  }</p>
<h2>Meta</h2>
<dl class="meta">
  ${timeRow('created', meta.createdAt, 'created')}
  ${timeRow('last access', meta.lastAccess, 'last-access')}
  <dt>idle timeout</dt><dd>${meta.ttl} s</dd>
  ${timeRow('idle expiry', idleExpiry, 'idle-expiry')}
  <dt>absolute lifetime</dt><dd>${meta.absoluteTtl === null ? 'none' : `${meta.absoluteTtl} s`}</dd>
  ${absoluteExpiry === null ? '' : timeRow('absolute expiry', absoluteExpiry, 'absolute-expiry')}
</dl>
<h2>Auth</h2>
${
  auth
    ? html`<dl class="meta" data-testid="auth">${Object.entries(auth).map(
        ([key, value]) => html`<dt>${key}</dt><dd>${showValue(value)} <small>${typeName(value)}</small></dd>`,
      )}</dl>`
    : html`<p data-testid="auth">none (anonymous)</p>`
}
<h2>Avatar</h2>
<dl class="meta">
  <dt>identity</dt><dd>${avatar.identity}</dd>
  <dt>tags</dt><dd>${avatar.tags.length ? avatar.tags.join(', ') : '(none)'}</dd>
  <dt>anonymous</dt><dd>${String(avatar.isAnonymous)}</dd>
</dl>
<h3><code>session.avatar.data</code></h3>
${renderBagTree(avatar.data)}
<h2><code>session.data</code></h2>
<div data-testid="data-tree">${renderBagTree(session.data)}</div>
<details><summary>As stored: TYTX JSON of <code>session.data</code></summary><pre>${tytxOf(session.data)}</pre></details>
<details><summary>As the Bag prints it</summary><pre>${String(session.data)}</pre></details>`
  return layout({ title: 'Session inspector', rq, body })
}
