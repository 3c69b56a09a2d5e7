// An Express 5 app: GET /users/:id answers user 1 with res.json and throws a NotFound for any
// other id. Variants (bench/servers/common.js): errorshape, floor, default (finalhandler).
import { createServer } from 'node:http'
import express from 'express'
import { commandLine, importErrorshape, loadFindUser, serve, shapedResponse } from './common.js'

const { variant, headers: requestHeaders } = commandLine(['errorshape', 'floor', 'default'])
const findUser = await loadFindUser()

const app = express()
// Advised for production; it also leaves the floor no stale field to clear.
app.disable('x-powered-by')
// res.send and res.json add an ETag, which errorshape's response does not carry: off for
// every variant, so the floor writes errorshape's fields.
app.set('etag', false)
app.get('/users/:id', (req, res) => {
  res.json(findUser(req.params.id))
})

if (variant === 'errorshape') {
  const { errorHandler, notFound } = await importErrorshape('express')
  app.use(notFound())
  app.use(errorHandler())
} else if (variant === 'floor') {
  const { status, headers, body } = await shapedResponse(requestHeaders)
  // res.set() turns "application/json" into "application/json; charset=utf-8" (and res.send
  // adds a charset to a string body's type): the type is set as is, the body sent as bytes.
  const { 'content-type': type, ...fields } = headers
  const bytes = Buffer.from(body)
  app.use((error, req, res, _next) => {
    res.status(status).set(fields)
    res.setHeader('content-type', type)
    res.send(bytes)
  })
}

serve(createServer(app))
