// Diagnostic Hono servers, to tell where errorshape's time goes on Hono (not part of
// `npm run bench`). GET /users/42 throws a NotFound; variants:
//   floor                  onError writes errorshape's response with c.body() (bench's floor)
//   floor-mw               the same behind one no-op middleware: Hono's compose path
//   floor-mw-readres       the same, onError reading c.res first (as errorshape's fieldsBefore
//                          does): Hono's c.res setter then rebuilds the returned Response from
//                          its body, a real Response with a ReadableStream
//   floor-mw-readres-drop  the same, c.res set back to undefined before returning
//   floor-signal           the floor reading c.req.raw.signal (node-server makes an AbortSignal)
//   floor-headers          the floor iterating c.req.raw.headers (node-server then makes an
//                          undici Headers from the socket's raw header lines)
//   floor-url              the floor parsing c.req.raw.url with new URL()
//   floor-record           the floor answering new Response(body, { status, headers }) with
//                          a plain record, not through c.body (which makes a Headers)
//   errorshape             catchAll, errorHandler and notFound (as the bench registered them)
//   errorshape-no-catchall errorHandler and notFound only
//   errorshape-mw          catchAll, errorHandler and notFound, then one no-op middleware (an
//                          app already on Hono's compose path: what catchAll adds there)
//   plain                  no error handling at all (Hono's default onError)
//   plain-mw               the same behind one no-op middleware
// A variant prefixed with `ok-` (ok-plain, ok-errorshape …) answers user 1 for every id, so
// that tools/instructions.js, which always asks for /users/42, counts the success path:
//
//   node tools/pair.js tools/servers/hono-diagnostics.js floor floor-mw floor-mw-readres
//   node tools/instructions.js ../../tools/servers/hono-diagnostics ok-plain ok-errorshape
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
  'floor-headers',
  'floor-url',
  'floor-record',
  'errorshape',
  'errorshape-no-catchall',
  'errorshape-mw',
  'plain',
  'plain-mw',
]
const { variant: given, headers: requestHeaders } = commandLine([
  ...VARIANTS,
  ...VARIANTS.map((name) => `ok-${name}`),
])
const alwaysFound = given.startsWith('ok-')
const variant = alwaysFound ? given.slice('ok-'.length) : given
const findUser = await loadFindUser()
const { status, headers, body } = await shapedResponse(requestHeaders)
const floor = (c) => c.body(body, status, headers)

const app = new Hono()
if (variant.startsWith('errorshape')) {
  const hono = await importErrorshape('hono')
  const options = {}
  if (variant !== 'errorshape-no-catchall') app.use(hono.catchAll(options))
  app.onError(hono.errorHandler(options))
  app.notFound(hono.notFound(options))
} else if (!variant.startsWith('plain')) {
  app.onError((error, c) => {
    if (variant.includes('readres')) c.res.headers.forEach(() => {})
    if (variant.endsWith('-drop')) {
      c.res = undefined // the setter marks the context finalized; the handler has not answered
      c.finalized = false
    }
    if (variant === 'floor-signal' && c.req.raw.signal.aborted) return c.body(null, 499)
    if (variant === 'floor-headers') c.req.raw.headers.forEach(() => {})
    if (variant === 'floor-url' && new URL(c.req.raw.url).pathname === '') return c.body(null)
    if (variant === 'floor-record') return new globalThis.Response(body, { status, headers })
    return floor(c)
  })
}
if (variant.includes('-mw')) app.use(async (c, next) => await next())
app.get('/users/:id', (c) => c.json(findUser(alwaysFound ? '1' : c.req.param('id'))))

serve(createAdaptorServer({ fetch: app.fetch }))
