// The pages gated by avatar tags, and the error pages.
import { html } from '../html.mjs'
import { formatTime, relative } from './format.mjs'
import { layout } from './layout.mjs'

/** 403: the avatar lacks the tag. */
export function forbiddenPage(rq, tag) {
  const body = html`<p data-testid="forbidden">This page needs the <span class="tag">${tag}</span> tag.
  ${rq.avatar.isAnonymous ? html`<a href="/login">Sign in</a> as a user who has it.` : html`Your tags: ${rq.avatar.tags.join(', ') || '(none)'}.`}</p>`
  return layout({ title: '403 Forbidden', rq, body, status: 403 })
}

/** 404. */
export function notFoundPage(rq) {
  return layout({
    title: '404 Not found',
    rq,
    body: html`<p>No such page. <a href="/">Back to the shop.</a></p>`,
    status: 404,
  })
}

/** The editor page: a draft kept in the avatar's data Bag. */
export function editorPage(rq, draft) {
  const body = html`
<p>Only avatars tagged <span class="tag">editor</span> see this page. The draft is kept in
<code>session.avatar.data</code> (persisted with the session; see the <a href="/inspector">inspector</a>).</p>
<form method="post" action="/editor">
  <p><textarea name="draft" rows="6" cols="60" data-testid="draft">${draft.text}</textarea></p>
  <p><button data-testid="save-draft">Save draft</button>
  ${draft.savedAt instanceof Date ? html`<small>saved ${formatTime(draft.savedAt.getTime())}</small>` : ''}</p>
</form>`
  return layout({ title: 'Editor', rq, body })
}

/** The admin page: every session in the store. */
export function adminPage(rq, { count, sessions, storeLabel }) {
  const body = html`
<p>Only avatars tagged <span class="tag">admin</span> see this page.</p>
<p>Store: <b>${storeLabel}</b>, <span data-testid="session-count">${count}</span> session${count === 1 ? '' : 's'}.</p>
<table data-testid="all-sessions">
  <thead><tr><th>Identity</th><th>Tags</th><th>Created</th><th>Last access</th><th>Digest</th><th></th></tr></thead>
  <tbody>${sessions.map(
    (info) => html`<tr><td>${info.identity}</td><td>${info.tags.join(', ')}</td>
      <td>${formatTime(info.meta.createdAt)}</td><td>${relative(info.meta.lastAccess)}</td>
      <td><code>${info.digest.slice(0, 12)}…</code></td>
      <td>${
        info.identity === 'anonymous'
          ? ''
          : html`<form class="inline" method="post" action="/admin/sign-out">
        <input type="hidden" name="identity" value="${info.identity}"><button>Sign out ${info.identity} everywhere</button></form>`
      }</td></tr>`,
  )}</tbody>
</table>`
  return layout({ title: 'Admin', rq, body })
}
