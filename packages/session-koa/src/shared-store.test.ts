import { createRequire } from 'node:module'
import { sessionMiddleware as expressSession } from '@satchel/session-express'
import type express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { listen, type RunningApp, SECRET } from '../../session-express/src/__fixtures__/binding-suite.js'
import { Browser } from '../../session-express/src/__fixtures__/browser.js'
import { koaVersions, startKoaApp } from './__fixtures__/koa-app.js'
import { createSessionManager, MemorySessionStore } from './index.js'

const require = createRequire(import.meta.url)
const expressVersions: [string, typeof express][] = [
  ['Express 4', require('express4')],
  ['Express 5', require('express5')],
]

describe('an Express app and a Koa app sharing one store', () => {
  const running: RunningApp[] = []
  afterEach(async () => {
    for (const app of running.splice(0)) await app.close()
  })

  for (const [expressName, expressFramework] of expressVersions) {
    for (const [koaName, koaFramework] of koaVersions) {
      it(`${expressName} and ${koaName} see and change the same session`, async () => {
        const store = new MemorySessionStore()
        const options = { secret: SECRET, store, cookie: { name: 'shared' } }
        const app = expressFramework()
        app.use(expressSession(options))
        app.post('/bump', (req, res) => {
          const hits = req.session.data.get('hits')
          req.session.data.set('hits', (typeof hits === 'number' ? hits : 0) + 1)
          res.json({ hits: req.session.data.get('hits'), identity: req.avatar.identity })
        })
        const expressApp = await listen(app.listen(0))
        running.push(expressApp)
        const koaManager = createSessionManager(options)
        const koaApp = await startKoaApp(koaFramework, koaManager, {
          'POST /bump': (ctx) => {
            const hits = ctx.session.data.get('hits')
            ctx.session.data.set('hits', (typeof hits === 'number' ? hits : 0) + 1)
            ctx.body = { hits: ctx.session.data.get('hits'), identity: ctx.avatar.identity }
          },
        })
        running.push(koaApp)

        const browser = new Browser()
        expect(await browser.json(`${expressApp.url}/bump`, 'POST')).toEqual({
          hits: 1,
          identity: 'anonymous',
        })
        expect(await browser.json(`${koaApp.url}/bump`, 'POST')).toEqual({ hits: 2, identity: 'anonymous' })
        const loggedIn = await browser.json(`${koaApp.url}/login?identity=carol`, 'POST')
        expect(loggedIn).toMatchObject({ identity: 'carol' })
        expect(await browser.json(`${expressApp.url}/bump`, 'POST')).toEqual({ hits: 3, identity: 'carol' })
        expect(await browser.json(`${koaApp.url}/bump`, 'POST')).toEqual({ hits: 4, identity: 'carol' })
        expect([...browser.cookies.keys()]).toEqual(['shared'])
        await store.close()
      })
    }
  }
})
