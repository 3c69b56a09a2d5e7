// @ts-check
// Per-request members in the problem: `customize` adds a link to the docs of each status,
// `requestId` names the request (the client's X-Request-Id, or a fresh one), and a request
// carrying a W3C traceparent gets its trace-id as `traceId` (on by default).
//
//   GET /users/:id    404 for any id but 1
//   GET /boom         a plain Error: 500, its message stays on the server
import { randomUUID } from 'node:crypto'
import express from 'express'
import { NotFound } from 'errorshape'
import { errorHandler, notFound } from 'errorshape/express'

// An id the client sent is kept when it is short and plain; otherwise the app makes one.
const CLIENT_ID = /^[\w.-]{1,64}$/

/** @typedef {import('express').Request & { id?: string }} RequestWithId */

/**
 * Makes the app, not yet listening. The options go to errorHandler() (onError, for one),
 * besides its requestId and customize.
 * @param {import('errorshape/express').ExpressOptions} [options]
 */
export function createCustomizeApp(options = {}) {
  const app = express()
  app.disable('x-powered-by')

  // Before the routes: every request gets an id, sent back in X-Request-Id.
  app.use((req, res, next) => {
    const sent = req.get('x-request-id')
    const id = sent !== undefined && CLIENT_ID.test(sent) ? sent : randomUUID()
    ;/** @type {RequestWithId} */ (req).id = id
    res.set('X-Request-Id', id)
    next()
  })

  app.get('/users/:id', (req, res) => {
    if (req.params.id !== '1') throw new NotFound(`There is no user ${req.params.id}.`)
    res.json({ id: 1, name: 'Ada' })
  })
  app.get('/boom', () => {
    throw new Error('connect ECONNREFUSED db.internal:5432')
  })

  app.use(notFound())
  app.use(
    errorHandler({
      ...options,
      requestId: (request) => /** @type {RequestWithId} */ (request).id,
      // Runs per error response; returns the members to send (a copy: change it freely).
      customize: (problem, { status }) => ({
        ...problem,
        docs: `https://docs.example.com/errors/${status}`,
        ...(status >= 500 ? { support: 'Quote the Request ID to support@example.com.' } : {}),
      }),
    }),
  )
  return app
}
