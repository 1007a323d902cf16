// Pages gated by avatar tags: /editor needs "editor", /admin needs "admin".
import { adminPage, editorPage, forbiddenPage } from '../views/gated.mjs'

/** Wraps a handler so that avatars without `tag` get a 403 page. */
export function requireTag(tag, handler) {
  return (rq) => (rq.avatar.hasTag(tag) ? handler(rq) : forbiddenPage(rq, tag))
}

export const showEditor = requireTag('editor', (rq) => {
  const node = rq.avatar.data.getNode('draft')
  return editorPage(rq, { text: node ? String(node.value ?? '') : '', savedAt: node?.getAttr('savedAt') })
})

export const saveDraft = requireTag('editor', async (rq) => {
  const text = (await rq.form()).get('draft') ?? ''
  rq.avatar.data.set('draft', text.slice(0, 4000), { savedAt: new Date() })
  return { redirect: '/editor' }
})

export const showAdmin = requireTag('admin', async (rq) => {
  const store = rq.site.store
  const sessions = []
  for await (const info of store.entries()) {
    sessions.push(info)
    if (sessions.length >= 200) break
  }
  sessions.sort((a, b) => b.meta.lastAccess - a.meta.lastAccess)
  return adminPage(rq, { count: await store.count(), sessions, storeLabel: rq.site.storeLabel })
})

export const signOutUser = requireTag('admin', async (rq) => {
  const identity = (await rq.form()).get('identity') ?? ''
  if (identity && identity !== 'anonymous') await rq.site.store.deleteByIdentity(identity)
  return { redirect: '/admin' }
})
