// A Fastify 5 app: GET /users/:id answers user 1 (an async handler returning it) and throws a
// NotFound for any other id. Variants (bench/servers/common.js): errorshape (the errorHandler
// plugin), floor, default (Fastify's own error handler). Fastify's logger is off, its default.
import Fastify from 'fastify'
import { announce, commandLine, importErrorshape, loadFindUser, shapedResponse } from './common.js'

const { variant, headers: requestHeaders } = commandLine(['errorshape', 'floor', 'default'])
const findUser = await loadFindUser()

const app = Fastify({ keepAliveTimeout: 60_000 })
if (variant === 'errorshape') {
  const { errorHandler } = await importErrorshape('fastify')
  await app.register(errorHandler)
} else if (variant === 'floor') {
  const { status, headers, body } = await shapedResponse(requestHeaders)
  // Bytes, as errorshape sends: Fastify adds "; charset=utf-8" to a JSON type given a string.
  const bytes = Buffer.from(body)
  app.setErrorHandler((error, request, reply) => {
    reply.code(status).headers(headers).send(bytes)
  })
}
app.get('/users/:id', async (request) => findUser(request.params.id))

await app.listen({ port: 0, host: '127.0.0.1' })
announce(app.server)
