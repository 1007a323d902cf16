// The login and "My sessions" pages.
import { html } from '../html.mjs'
import { DEMO_USERS } from '../users.mjs'
import { formatTime, relative } from './format.mjs'
import { layout } from './layout.mjs'

/** The login form with the demo users and their passwords. */
export function loginPage(rq, { error, identity = '' } = {}) {
  const body = html`
${error ? html`<p class="error" data-testid="login-error">${error}</p>` : ''}
<form method="post" action="/login" data-testid="login-form">
  <p><label>User <input name="identity" value="${identity}" autocomplete="username" required></label></p>
  <p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
  <p><button type="submit" data-testid="login-submit">Sign in</button></p>
</form>
<h2>Demo users</h2>
<table>
  <thead><tr><th>User</th><th>Password</th><th>Tags</th><th></th></tr></thead>
  <tbody>${DEMO_USERS.map(
    (user) => html`<tr><td>${user.identity}</td><td><code>${user.password}</code></td>
      <td>${user.tags.map((tag) => html`<span class="tag">${tag}</span>`)}</td>
      <td><form class="inline" method="post" action="/login">
        <input type="hidden" name="identity" value="${user.identity}">
        <input type="hidden" name="password" value="${user.password}">
        <button data-testid="login-as-${user.identity}">Sign in as ${user.identity}</button></form></td></tr>`,
  )}</tbody>
</table>
<p>Signing in gives the session a new id (fixation defence) and keeps your cart. Admins see the
<a href="/admin">admin page</a>; editors the <a href="/editor">editor page</a>; everyone else gets 403 there.</p>`
  return layout({ title: 'Sign in', rq, body })
}

/** The user's sessions, with "sign out everywhere else". */
export function sessionsPage(rq, sessions, { signedOut } = {}) {
  const others = sessions.filter((info) => !info.current).length
  const body = html`
${signedOut === undefined ? '' : html`<p class="note" data-testid="signed-out">Signed out ${signedOut} other session${signedOut === 1 ? '' : 's'}.</p>`}
<p>Every browser where <b>${rq.avatar.identity}</b> is signed in. Sign in from another browser (or a private
window) to see a second line.</p>
<table data-testid="sessions">
  <thead><tr><th></th><th>Browser</th><th>Signed in</th><th>Last access</th><th>Session digest</th></tr></thead>
  <tbody>${sessions.map(
    (info) => html`<tr data-testid="${info.current ? 'session-current' : 'session-other'}">
      <td>${info.current ? 'this browser' : ''}</td><td>${info.browser}</td>
      <td>${formatTime(info.meta.createdAt)}</td>
      <td>${formatTime(info.meta.lastAccess)} <small>(${relative(info.meta.lastAccess)})</small></td>
      <td><code>${info.digest.slice(0, 12)}…</code></td></tr>`,
  )}</tbody>
</table>
<p>
  <form class="inline" method="post" action="/sessions/sign-out-others">
    <button data-testid="sign-out-others" ${others === 0 ? 'disabled' : ''}>Sign out everywhere else</button></form>
  <form class="inline" method="post" action="/logout"><button>Log out here</button></form>
</p>`
  return layout({ title: 'My sessions', rq, body })
}
