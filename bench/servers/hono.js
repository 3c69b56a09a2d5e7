// A Hono 4 app on @hono/node-server: GET /users/:id answers user 1 with c.json and throws a
// NotFound for any other id. Variants (bench/servers/common.js): errorshape (errorHandler and
// notFound, as its README registers them; catchAll is an opt-in there), floor (an onError
// writing with c.body), default (Hono's own onError: a 500, logged with console.error).
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import { commandLine, importErrorshape, loadFindUser, serve, shapedResponse } from './common.js'

const { variant, headers: requestHeaders } = commandLine(['errorshape', 'floor', 'default'])
const findUser = await loadFindUser()

const app = new Hono()
if (variant === 'errorshape') {
  const { errorHandler, notFound } = await importErrorshape('hono')
  const options = {}
  app.onError(errorHandler(options))
  app.notFound(notFound(options))
} else if (variant === 'floor') {
  const { status, headers, body } = await shapedResponse(requestHeaders)
  app.onError((error, c) => c.body(body, status, headers))
}
app.get('/users/:id', (c) => c.json(findUser(c.req.param('id'))))

serve(createAdaptorServer({ fetch: app.fetch }))
