import passport from 'passport'
import { Strategy as LocalStrategy } from 'passport-local'
import { afterEach, describe, expect, it } from 'vitest'
import { listen, type RunningApp, SECRET } from './__fixtures__/binding-suite.js'
import { Browser } from './__fixtures__/browser.js'
import { expressVersions } from './__fixtures__/express-app.js'
import { MemorySessionStore, sessionMiddleware } from './index.js'

interface User {
  id: string
  name: string
}
const users = new Map<string, User & { password: string }>([
  ['alice', { id: 'u1', name: 'alice', password: 'wonderland' }],
])

function makePassport() {
  const instance = new passport.Passport()
  instance.use(
    new LocalStrategy((username, password, done) => {
      const user = users.get(username)
      done(null, user && user.password === password ? { id: user.id, name: user.name } : false)
    }),
  )
  instance.serializeUser<string>((user, done) => done(null, (user as User).id))
  instance.deserializeUser<string>((id, done) => {
    const user = [...users.values()].find((candidate) => candidate.id === id)
    done(null, user ? { id: user.id, name: user.name } : false)
  })
  return instance
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
})

for (const [name, framework] of expressVersions) {
  describe(`passport-local on ${name}`, () => {
    let running: RunningApp | undefined
    afterEach(async () => {
      await running?.close()
    })

    async function start() {
      const auth = makePassport()
      const app = framework()
      app.use(framework.urlencoded({ extended: false }))
      app.use(sessionMiddleware({ secret: SECRET, store: new MemorySessionStore() }))
      app.use(auth.session())
      app.post('/visit', (req, res) => {
        req.session.data.set('visited', true)
        res.json('ok')
      })
      app.post('/login', auth.authenticate('local', { successRedirect: '/me', failureRedirect: '/login' }))
      app.post(
        '/login-keep',
        auth.authenticate('local', {
          successRedirect: '/me',
          failureRedirect: '/login',
          keepSessionInfo: true,
        }),
      )
      app.get('/me', (req, res) => {
        res.json({
          user: (req.user as User | undefined)?.name ?? null,
          visited: req.session.data.get('visited') ?? null,
        })
      })
      app.post('/logout', (req, res, next) => {
        req.logout((error) => (error ? next(error) : res.redirect('/me')))
      })
      running = await listen(app.listen(0))
      return running.url
    }

    it('logs in with a new session id, stays logged in, and logs out', async () => {
      const url = await start()
      const browser = new Browser()
      await browser.json(`${url}/visit`, 'POST')
      const anonymous = browser.clone()

      const login = await browser.fetch(`${url}/login`, form({ username: 'alice', password: 'wonderland' }))
      expect(login.status).toBe(302)
      expect(login.headers.get('location')).toBe('/me')
      expect(login.headers.getSetCookie()).toHaveLength(1)
      expect(browser.cookies.get('sid')).not.toBe(anonymous.cookies.get('sid'))
      expect(await browser.json(`${url}/me`)).toEqual({ user: 'alice', visited: null })
      expect(await anonymous.json(`${url}/me`)).toEqual({ user: null, visited: null })

      const loggedIn = browser.clone()
      const logout = await browser.fetch(`${url}/logout`, { method: 'POST' })
      expect(logout.status).toBe(302)
      expect(await browser.json(`${url}/me`)).toEqual({ user: null, visited: null })
      expect(await loggedIn.json(`${url}/me`)).toEqual({ user: null, visited: null })
    })

    it('carries the session data over a login with keepSessionInfo, under a new id', async () => {
      const url = await start()
      const browser = new Browser()
      await browser.json(`${url}/visit`, 'POST')
      const before = browser.cookies.get('sid')
      const login = await browser.fetch(
        `${url}/login-keep`,
        form({ username: 'alice', password: 'wonderland' }),
      )
      expect(login.status).toBe(302)
      expect(browser.cookies.get('sid')).not.toBe(before)
      expect(await browser.json(`${url}/me`)).toEqual({ user: 'alice', visited: true })
    })

    it('refuses a wrong password and keeps the visitor anonymous', async () => {
      const url = await start()
      const browser = new Browser()
      const login = await browser.fetch(`${url}/login`, form({ username: 'alice', password: 'nope' }))
      expect(login.status).toBe(302)
      expect(login.headers.get('location')).toBe('/login')
      expect(await browser.json(`${url}/me`)).toEqual({ user: null, visited: null })
    })
  })
}
