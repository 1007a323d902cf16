// The HTTP rows: which framework, which session library, which store.

/** Every server the HTTP suite starts, in the order they are measured within a repetition. */
export const targets = [
  { id: 'express-bare', framework: 'express', label: 'bare express', library: 'none', store: 'none' },
  {
    id: 'express-satchel-memory',
    framework: 'express',
    label: 'satchel',
    library: 'satchel',
    store: 'memory',
  },
  { id: 'express-satchel-redis', framework: 'express', label: 'satchel', library: 'satchel', store: 'redis' },
  {
    id: 'express-session-memory',
    framework: 'express',
    label: 'express-session',
    library: 'peer',
    store: 'memory',
  },
  {
    id: 'express-session-redis',
    framework: 'express',
    label: 'express-session + connect-redis',
    library: 'peer',
    store: 'redis',
  },
  { id: 'koa-bare', framework: 'koa', label: 'bare koa', library: 'none', store: 'none' },
  { id: 'koa-satchel-memory', framework: 'koa', label: 'satchel', library: 'satchel', store: 'memory' },
  { id: 'koa-satchel-redis', framework: 'koa', label: 'satchel', library: 'satchel', store: 'redis' },
  { id: 'koa-session-cookie', framework: 'koa', label: 'koa-session', library: 'peer', store: 'cookie' },
  {
    id: 'koa-session-redis',
    framework: 'koa',
    label: 'koa-session + external store',
    library: 'peer',
    store: 'redis',
  },
]

/** The three request shapes. `cookie` says whether the runner sends a session cookie. */
export const scenarios = [
  { id: 'S1', name: 'read', path: '/read', cookie: true },
  { id: 'S2', name: 'write', path: '/write', cookie: true },
  { id: 'S3', name: 'new', path: '/write', cookie: false },
]

/** Whether target `id` (a suite row or a diagnostic app) keeps sessions: bare servers and the empty-middleware app do not. */
export function hasSessions(id) {
  return !id.endsWith('-bare') && !id.endsWith('-noop')
}
