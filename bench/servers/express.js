// An Express 5 app whose route throws NotFound, answered by one of the variants:
//   errorshape   errorHandler() from errorshape/express
//   floor        the same throw, caught by a minimal error middleware writing the same response
//   floor-setheader  the same, headers set one by one with setHeader
//   no-throw     the route writes that response itself
//   default      Express's own handler (finalhandler)
//   errorhandler the errorhandler package
// node bench/servers/express.js <variant> '<request headers as JSON>' (started by bench/http.js)
import { createServer } from 'node:http'
import express from 'express'
import errorhandler from 'errorhandler'
import { importErrorshape, serve, shapedResponse } from './common.js'

const [variant, headersJson] = process.argv.slice(2)
const { NotFound } = await importErrorshape('index')
const { status, headers, body } = await shapedResponse(JSON.parse(headersJson))

const app = express()
// Advised for production, and what leaves a floor nothing stale to clear.
app.disable('x-powered-by')
app.get('/users/:id', (req, res) => {
  if (variant === 'no-throw') {
    res.writeHead(status, headers)
    res.end(body)
    return
  }
  throw new NotFound(`No user ${req.params.id}`)
})

switch (variant) {
  case 'errorshape': {
    const { errorHandler } = await importErrorshape('express')
    app.use(errorHandler())
    break
  }
  case 'floor':
    app.use((error, req, res, _next) => {
      res.writeHead(status, headers)
      res.end(body)
    })
    break
  case 'errorhandler':
    app.use(errorhandler({ log: false }))
    break
  case 'default':
  case 'no-throw':
    break
  // Diagnostics, to tell where errorshape's time goes (not in the default run):
  case 'diag-format': {
    // errorshape's formatter, written the floor's way
    const { createFormatter } = await importErrorshape('index')
    const format = createFormatter()
    app.use((error, req, res, _next) => {
      const shaped = format(error, req)
      res.writeHead(shaped.status, shaped.headers)
      res.end(shaped.body)
    })
    break
  }
  case 'diag-write': {
    // errorshape's writer, given the response already shaped
    const { writeShaped } = await importErrorshape('node')
    const shaped = { status, headers, body }
    app.use((error, req, res, _next) => writeShaped(res, shaped))
    break
  }
  case 'diag-fw':
  case 'diag-fwd': {
    // errorshape's formatter and writer, without (fw) or with (fwd) draining the request
    const { createFormatter } = await importErrorshape('index')
    const { writeShaped } = await importErrorshape('node')
    const format = createFormatter()
    app.use((error, req, res, _next) => {
      writeShaped(res, format(error, req))
      if (variant === 'diag-fwd' && !req.readableEnded && !req.destroyed) {
        req.unpipe()
        req.resume()
      }
    })
    break
  }
  case 'floor-setheader':
    // the floor, with setHeader per field: the headers stay readable (res.getHeader) by
    // loggers after the response, as errorshape's are
    app.use((error, req, res, _next) => {
      res.statusCode = status
      for (const name of Object.keys(headers)) res.setHeader(name, headers[name])
      res.end(body)
    })
    break
  default:
    throw new Error(`unknown variant ${variant}`)
}

serve(createServer(app))
