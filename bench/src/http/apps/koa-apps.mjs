// Koa servers, one per target. Every app answers /init (write n = 1), /read and /write.
import Koa from 'koa'
import { koaRedisStore } from './koa-redis-store.mjs'

/** A router-free middleware: three paths, values reached through `get(ctx)` / `set(ctx, n)`. */
function routes(get, set) {
  return (ctx) => {
    switch (ctx.path) {
      case '/init':
        set(ctx, 1)
        ctx.body = '1'
        return
      case '/read':
        ctx.body = String(get(ctx) ?? 0)
        return
      case '/write': {
        const n = (get(ctx) ?? 0) + 1
        set(ctx, n)
        ctx.body = String(n)
        return
      }
      default:
        ctx.status = 404
    }
  }
}

function bareApp() {
  const app = new Koa()
  let n = 0
  app.use(
    routes(
      () => n,
      (_ctx, value) => {
        n = value
      },
    ),
  )
  return app
}

async function satchelApp({ store }) {
  const { sessionMiddleware } = await import('@satchel/session-koa')
  const app = new Koa()
  app.use(sessionMiddleware({ secret: process.env.BENCH_SECRET, store }))
  app.use(
    routes(
      (ctx) => ctx.session.data.get('n'),
      (ctx, n) => ctx.session.data.set('n', n),
    ),
  )
  return app
}

async function koaSessionApp({ store }) {
  const { default: session } = await import('koa-session')
  const app = new Koa()
  app.keys = [process.env.BENCH_SECRET]
  app.use(session(store ? { store } : {}, app))
  app.use(
    routes(
      (ctx) => ctx.session.n,
      (ctx, n) => {
        ctx.session.n = n
      },
    ),
  )
  return app
}

/** Builds the Koa app for `targetId`; `deps` holds the Redis client and key prefix. */
export async function buildKoaApp(targetId, deps) {
  switch (targetId) {
    case 'koa-bare':
      return bareApp()
    case 'koa-satchel-memory': {
      const { MemorySessionStore } = await import('@satchel/session-core')
      return satchelApp({ store: new MemorySessionStore() })
    }
    case 'koa-satchel-redis': {
      const { RedisSessionStore } = await import('@satchel/session-redis')
      return satchelApp({ store: new RedisSessionStore({ client: await deps.redis(), prefix: deps.prefix }) })
    }
    case 'koa-session-cookie':
      return koaSessionApp({})
    case 'koa-session-redis':
      return koaSessionApp({ store: koaRedisStore(await deps.redis(), deps.prefix) })
    default:
      throw new Error(`unknown koa target ${targetId}`)
  }
}
