// @ts-check
// The users API of examples/express, on Koa 3 with @koa/router: same routes, same errors,
// same responses. errorshape's Koa middleware goes first and catches everything downstream.
//
//   GET    /users            list the users
//   POST   /users            create one (Bearer token, JSON body)
//   GET    /users/:id        one user
//   DELETE /users/:id        remove one (Bearer token)
//   GET    /admin/maintenance     is maintenance on?
//   PUT    /admin/maintenance     { "enabled": true } (Bearer token)
import Router from '@koa/router'
import Koa from 'koa'
import { MethodNotAllowed } from 'errorshape'
import { errorHandler } from 'errorshape/koa'
import {
  createAuth,
  createMaintenance,
  createRateLimiter,
  createUserStore,
  validateMaintenance,
  validateNewUser,
} from '../shared/users.js'
import { readJson } from './read-json.js'

/**
 * @typedef {object} AppOptions
 * @property {string} [token] the Bearer token of the mutating routes (default `'demo-token'`)
 * @property {Parameters<typeof createRateLimiter>[0]} [rateLimit] requests per client per window
 * @property {boolean} [maintenance] start in maintenance mode (every route a 503)
 * @property {Pick<Console, 'error'>} [logger] where unexpected server errors are logged
 */

/**
 * Makes the users API: a Koa app, not yet listening.
 * @param {AppOptions} [options]
 */
export function createApp({
  token = 'demo-token',
  rateLimit,
  maintenance = false,
  logger = console,
} = {}) {
  const users = createUserStore()
  const authenticate = createAuth(token)
  const countRequest = createRateLimiter(rateLimit)
  const maintenanceSwitch = createMaintenance({ enabled: maintenance })

  /** @type {import('koa').Middleware} */
  const requireAuth = (ctx, next) => {
    authenticate(ctx.get('authorization'))
    return next()
  }

  const app = new Koa()
  // errorshape reports 5xx errors on Koa's own 'error' event, once each. 4xx are the client's
  // business and 503 is the maintenance switch: log the rest.
  app.on('error', (/** @type {unknown} */ error, /** @type {import('koa').Context} */ ctx) => {
    const status = /** @type {{ status?: unknown }} */ (error).status
    if (status !== 503) logger.error(`${ctx.method} ${ctx.originalUrl} failed:`, error)
  })

  // First: everything below, the router's 404s included, is shaped by errorshape. The rate
  // limiter's headers stay on error responses: errorshape keeps what middleware set.
  app.use(errorHandler())

  app.use((ctx, next) => {
    countRequest(ctx.ip, ({ limit, remaining, reset }) => {
      ctx.set({
        'RateLimit-Limit': String(limit),
        'RateLimit-Remaining': String(remaining),
        'RateLimit-Reset': String(reset),
      })
    })
    return next()
  })
  app.use((ctx, next) => {
    // The switch itself stays reachable, or maintenance could never be turned off.
    if (ctx.path !== '/admin/maintenance') maintenanceSwitch.check()
    return next()
  })

  const router = new Router()
  router.get('/', (ctx) => {
    ctx.body = { users: '/users', maintenance: '/admin/maintenance' }
  })

  router
    .get('/users', (ctx) => {
      ctx.body = users.list()
    })
    .post('/users', requireAuth, async (ctx) => {
      const user = users.add(validateNewUser(await readJson(ctx)))
      ctx.status = 201
      ctx.set('Location', `/users/${user.id}`)
      ctx.body = user
    })
    // Registered after GET and POST, so it runs only for the other methods.
    .all('/users', () => {
      throw new MethodNotAllowed({ allow: ['GET', 'POST'] })
    })

  router
    .get('/users/:id', (ctx) => {
      ctx.body = users.get(ctx.params.id ?? '')
    })
    .delete('/users/:id', requireAuth, (ctx) => {
      users.remove(ctx.params.id ?? '')
      ctx.status = 204
    })
    .all('/users/:id', () => {
      throw new MethodNotAllowed({ allow: ['GET', 'DELETE'] })
    })

  router
    .get('/admin/maintenance', (ctx) => {
      ctx.body = { enabled: maintenanceSwitch.enabled }
    })
    .put('/admin/maintenance', requireAuth, async (ctx) => {
      maintenanceSwitch.enabled = validateMaintenance(await readJson(ctx))
      ctx.body = { enabled: maintenanceSwitch.enabled }
    })
    .all('/admin/maintenance', () => {
      throw new MethodNotAllowed({ allow: ['GET', 'PUT'] })
    })

  // Unmatched routes fall through to Koa's implicit 404, which errorHandler() shapes.
  app.use(router.routes())
  return app
}
