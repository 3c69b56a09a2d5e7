// @ts-check
// A small users API on Express 5, with errorshape answering every error.
//
//   GET    /users            list the users
//   POST   /users            create one (Bearer token, JSON body)
//   GET    /users/:id        one user
//   DELETE /users/:id        remove one (Bearer token)
//   GET    /admin/maintenance     is maintenance on?
//   PUT    /admin/maintenance     { "enabled": true } (Bearer token)
//
// Every failure is a thrown errorshape error: 404 with a detail, 422 with an `errors` list of
// JSON Pointers, 409 with a `code`, 401 with a Bearer challenge, 405 with Allow, 415 with
// Accept, 429 and 503 with Retry-After; express.json's own 400 and 413 come out in the same
// shape.
import express from 'express'
import { MethodNotAllowed, UnsupportedMediaType } from 'errorshape'
import { errorHandler, notFound } from 'errorshape/express'
import {
  createAuth,
  createMaintenance,
  createRateLimiter,
  createUserStore,
  validateMaintenance,
  validateNewUser,
} from '../shared/users.js'

/**
 * @typedef {object} AppOptions
 * @property {string} [token] the Bearer token of the mutating routes (default `'demo-token'`)
 * @property {Parameters<typeof createRateLimiter>[0]} [rateLimit] requests per client per window
 * @property {boolean} [maintenance] start in maintenance mode (every route a 503)
 * @property {Pick<Console, 'error'>} [logger] where unexpected server errors are logged
 */

/**
 * Makes the users API: an Express app, not yet listening.
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
  const readJson = express.json({ limit: '10kb' })

  /** @type {import('errorshape/express').ExpressOptions} */
  const errorOptions = {
    // The rate limiter's headers stay on error responses: errorshape keeps what middleware
    // set, and drops only what described the failed representation.
    onError(error, { status, request }) {
      // 4xx are the client's business and 503 is the maintenance switch: log the rest.
      if (status >= 500 && status !== 503) {
        logger.error(`${request.method} ${request.originalUrl} failed:`, error)
      }
    },
  }

  /** @type {import('express').RequestHandler} */
  const requireAuth = (req, _res, next) => {
    authenticate(req.get('authorization'))
    return next()
  }
  /** @type {import('express').RequestHandler} */
  const requireJson = (req, _res, next) => {
    if (!req.is('application/json'))
      throw new UnsupportedMediaType({ accept: ['application/json'] })
    return next()
  }

  const app = express()
  app.disable('x-powered-by')

  app.use((req, res, next) => {
    countRequest(req.ip ?? 'unknown', ({ limit, remaining, reset }) => {
      res.set({
        'RateLimit-Limit': String(limit),
        'RateLimit-Remaining': String(remaining),
        'RateLimit-Reset': String(reset),
      })
    })
    next()
  })
  app.use((req, _res, next) => {
    // The switch itself stays reachable, or maintenance could never be turned off.
    if (req.path !== '/admin/maintenance') maintenanceSwitch.check()
    next()
  })

  app.get('/', (_req, res) => {
    res.json({ users: '/users', maintenance: '/admin/maintenance' })
  })

  app
    .route('/users')
    .get((_req, res) => {
      res.json(users.list())
    })
    .post(requireAuth, requireJson, readJson, (req, res) => {
      const user = users.add(validateNewUser(req.body))
      res.status(201).location(`/users/${user.id}`).json(user)
    })
    .all(() => {
      throw new MethodNotAllowed({ allow: ['GET', 'POST'] })
    })

  app
    .route('/users/:id')
    .get((req, res) => {
      res.json(users.get(req.params.id))
    })
    .delete(requireAuth, (req, res) => {
      users.remove(req.params.id)
      res.status(204).end()
    })
    .all(() => {
      throw new MethodNotAllowed({ allow: ['GET', 'DELETE'] })
    })

  app
    .route('/admin/maintenance')
    .get((_req, res) => {
      res.json({ enabled: maintenanceSwitch.enabled })
    })
    .put(requireAuth, requireJson, readJson, (req, res) => {
      maintenanceSwitch.enabled = validateMaintenance(req.body)
      res.json({ enabled: maintenanceSwitch.enabled })
    })
    .all(() => {
      throw new MethodNotAllowed({ allow: ['GET', 'PUT'] })
    })

  app.use(notFound()) // after the routes: anything unmatched goes to errorHandler as a 404
  app.use(errorHandler(errorOptions)) // last
  return app
}
