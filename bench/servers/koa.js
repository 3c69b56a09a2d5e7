// A Koa 3 app (with @koa/router) whose route throws NotFound, answered by one of the variants:
//   errorshape   errorHandler() from errorshape/koa
//   floor        the same throw, caught by a minimal try/catch middleware writing the same response
//   floor-setheader  the same, headers set one by one with setHeader
//   no-throw     the route writes that response itself
//   default      Koa's own ctx.onerror
//   diag-…       diagnostics pairing a part of errorshape with the floor's (bench/README.md)
// node bench/servers/koa.js <variant> '<request headers as JSON>' (started by bench/http.js)
import { createServer } from 'node:http'
import Koa from 'koa'
import Router from '@koa/router'
import { importErrorshape, serve, shapedResponse } from './common.js'

const [variant, headersJson] = process.argv.slice(2)
const { NotFound } = await importErrorshape('index')
const { status, headers, body } = await shapedResponse(JSON.parse(headersJson))

const writeShaped = (ctx) => {
  ctx.respond = false
  ctx.res.writeHead(status, headers)
  ctx.res.end(body)
}

/** The diagnostics' try/catch middleware: `answer` writes the response to the caught error. */
const catching = (answer) => async (ctx, next) => {
  try {
    await next()
  } catch (error) {
    ctx.respond = false
    const { req } = ctx
    answer(ctx.res, error, { method: req.method, url: req.url, headers: req.headers })
  }
}

const app = new Koa()
switch (variant) {
  case 'errorshape': {
    const { errorHandler } = await importErrorshape('koa')
    app.use(errorHandler())
    break
  }
  case 'floor':
    app.use(async (ctx, next) => {
      try {
        await next()
      } catch {
        writeShaped(ctx)
      }
    })
    break
  case 'floor-setheader':
    app.use(async (ctx, next) => {
      try {
        await next()
      } catch {
        ctx.respond = false
        const { res } = ctx
        res.statusCode = status
        for (const name of Object.keys(headers)) res.setHeader(name, headers[name])
        res.end(body)
      }
    })
    break
  case 'diag-wrapper':
    // errorshape's middleware shape (ctx.onerror taken over, the error kept for handleOnce),
    // answering the floor's way
    app.use(async (ctx, next) => {
      let handled
      const handleOnce = (error) => {
        if (error === handled) return
        handled = error
        writeShaped(ctx)
      }
      ctx.onerror = (error) => {
        if (error != null) handleOnce(error)
      }
      try {
        await next()
      } catch (error) {
        handleOnce(error)
      }
    })
    break
  case 'diag-format': {
    // errorshape's formatter, written the floor's way
    const { createFormatter } = await importErrorshape('index')
    const format = createFormatter()
    app.use(
      catching((res, error, view) => {
        const shaped = format(error, view)
        res.writeHead(shaped.status, shaped.headers)
        res.end(shaped.body)
      }),
    )
    break
  }
  case 'diag-fw': {
    // errorshape's formatter and writer, in a plain try/catch middleware
    const { createFormatter } = await importErrorshape('index')
    const { writeShaped: write } = await importErrorshape('node')
    const format = createFormatter()
    app.use(catching((res, error, view) => write(res, format(error, view))))
    break
  }
  case 'default':
  case 'no-throw':
    break
  default:
    throw new Error(`unknown variant ${variant}`)
}

const router = new Router()
router.get('/users/:id', (ctx) => {
  if (variant === 'no-throw') {
    writeShaped(ctx)
    return
  }
  throw new NotFound(`No user ${ctx.params.id}`)
})
app.use(router.routes())

serve(createServer(app.callback()))
