/**
 * The app every runtime serves: the built package ('errorshape' resolves to dist/ in each
 * runtime), one route per case and adapter. `/fetch/<id>` answers through errorshape/fetch,
 * `/hono/<id>` through a Hono app with errorshape/hono's three handlers.
 */
import * as errorshape from 'errorshape'
import { createResponder, toResponse } from 'errorshape/fetch'
import { catchAll, errorHandler, notFound } from 'errorshape/hono'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { z } from 'zod'
import { adaptersOf, cases } from './cases.js'

const modules = { errorshape, z, HTTPException }

// Warnings (a 426 whose Upgrade is left out) are the developer's, not the test's; the plain
// Fetch route keeps toResponse's defaults, as in the README.
const OPTIONS = { onWarning: false }
const respond = createResponder(OPTIONS)

const byId = new Map(cases.map((kase) => [kase.id, kase]))

/** What a route of the Fetch app does: throws, asynchronously, what its case says. */
async function route(kase) {
  await Promise.resolve()
  if (kase?.thrown === undefined) throw new errorshape.NotFound()
  throw kase.thrown(modules)
}

/** The README's Fetch handler: toResponse, or createResponder where the case gives a context. */
async function fetchApp(request) {
  const id = new URL(request.url).pathname.slice('/fetch/'.length)
  const kase = byId.get(id)
  try {
    return await route(kase)
  } catch (error) {
    if (kase?.before === undefined && kase?.context === undefined) {
      return toResponse(error, request)
    }
    return respond(error, request, { before: kase.before, ...kase.context })
  }
}

function createHonoApp() {
  const app = new Hono().basePath('/hono')
  app.use(catchAll(OPTIONS))
  app.onError(errorHandler(OPTIONS))
  app.notFound(notFound(OPTIONS))
  for (const kase of cases) {
    if (kase.thrown === undefined || !adaptersOf(kase).includes('hono')) continue
    app.all(`/${kase.id}`, (c) => {
      for (const [name, value] of Object.entries(kase.before ?? {})) c.header(name, value)
      throw kase.thrown(modules)
    })
  }
  return app
}

const honoApp = createHonoApp()

/**
 * The whole app as a Fetch handler. `env` is the server's bindings (@hono/node-server's
 * `{ incoming, outgoing }` on Node), handed to Hono as its Env.
 */
export function handle(request, env) {
  const { pathname } = new URL(request.url)
  return pathname.startsWith('/hono/') ? honoApp.fetch(request, env) : fetchApp(request)
}
