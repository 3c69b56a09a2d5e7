// A Koa 3 app with @koa/router: GET /users/:id answers user 1 (ctx.body = object) and throws a
// NotFound for any other id. Variants (bench/servers/common.js): errorshape, floor, default
// (Koa's ctx.onerror).
import { createServer } from 'node:http'
import Router from '@koa/router'
import Koa from 'koa'
import { commandLine, importErrorshape, loadFindUser, serve, shapedResponse } from './common.js'

const { variant, headers: requestHeaders } = commandLine(['errorshape', 'floor', 'default'])
const findUser = await loadFindUser()

const app = new Koa()
if (variant === 'errorshape') {
  const { errorHandler } = await importErrorshape('koa')
  app.use(errorHandler())
} else if (variant === 'floor') {
  const { status, headers, body } = await shapedResponse(requestHeaders)
  app.use(async (ctx, next) => {
    try {
      await next()
    } catch {
      ctx.status = status
      ctx.set(headers)
      ctx.body = body
    }
  })
}

const router = new Router()
router.get('/users/:id', (ctx) => {
  ctx.body = findUser(ctx.params.id)
})
app.use(router.routes())

serve(createServer(app.callback()))
