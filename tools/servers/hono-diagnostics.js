// Diagnostic Hono servers, to tell where errorshape's time goes on Hono's error path (not part
// of `npm run bench`). GET /users/42 throws a NotFound; variants:
//   floor                  onError writes errorshape's response with c.body() (bench's floor)
//   floor-mw               the same behind one no-op middleware: Hono's compose path
//   floor-mw-readres       the same, onError reading c.res first (as errorshape's fieldsBefore
//                          does): Hono's c.res setter then rebuilds the returned Response from
//                          its body, a real Response with a ReadableStream
//   floor-mw-readres-drop  the same, c.res set back to undefined before returning
//   floor-signal           the floor reading c.req.raw.signal (node-server makes an AbortSignal)
//   errorshape             catchAll, errorHandler and notFound (bench's errorshape variant)
//   errorshape-no-catchall errorHandler and notFound only
//
//   node tools/pair.js tools/servers/hono-diagnostics.js floor floor-mw floor-mw-readres
import { createAdaptorServer } from '@hono/node-server'
import { Hono } from 'hono'
import {
  commandLine,
  importErrorshape,
  loadFindUser,
  serve,
  shapedResponse,
} from '../../bench/servers/common.js'

const VARIANTS = [
  'floor',
  'floor-mw',
  'floor-mw-readres',
  'floor-mw-readres-drop',
  'floor-signal',
  'errorshape',
  'errorshape-no-catchall',
]
const { variant, headers: requestHeaders } = commandLine(VARIANTS)
const findUser = await loadFindUser()
const { status, headers, body } = await shapedResponse(requestHeaders)
const floor = (c) => c.body(body, status, headers)

const app = new Hono()
if (variant.startsWith('floor-mw')) app.use(async (c, next) => await next())
if (variant.startsWith('errorshape')) {
  const { catchAll, errorHandler, notFound } = await importErrorshape('hono')
  const options = {}
  if (variant === 'errorshape') app.use(catchAll(options))
  app.onError(errorHandler(options))
  app.notFound(notFound(options))
} else {
  app.onError((error, c) => {
    if (variant.includes('readres')) c.res.headers.forEach(() => {})
    if (variant.endsWith('-drop')) {
      c.res = undefined // the setter marks the context finalized; the handler has not answered
      c.finalized = false
    }
    if (variant === 'floor-signal' && c.req.raw.signal.aborted) return c.body(null, 499)
    return floor(c)
  })
}
app.get('/users/:id', (c) => c.json(findUser(c.req.param('id'))))

serve(createAdaptorServer({ fetch: app.fetch }))
