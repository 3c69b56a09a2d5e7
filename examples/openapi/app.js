// @ts-check
// A small Fastify users API whose error responses are documented by errorshape:
// openApiResponses gives each route's error statuses (description, the header fields each
// carries, the content in every format on offer, examples rendered by errorshape itself),
// @fastify/swagger gathers them into one OpenAPI 3.1 document.
//
//   GET  /users/:id           one user, or 404
//   POST /users               { "email": "…" } (Bearer token): 201, 400 with errors, 401, 403
//                             (a problem type of the app's own: out of credit), 429
import swagger from '@fastify/swagger'
import Fastify from 'fastify'
import { defineProblemType, NotFound, TooManyRequests, Unauthorized } from 'errorshape'
import { errorHandler } from 'errorshape/fastify'
import { openApiComponents, openApiResponses } from 'errorshape/schema'

/** The app's own problem type: a 403 with its URI, and its title in Chinese too. */
export class OutOfCredit extends defineProblemType({
  type: 'https://example.com/probs/out-of-credit',
  status: 403,
  title: 'You do not have enough credit.',
  titles: { 'zh-CN': '您的余额不足。' },
}) {}

// One place for how this app's errors are documented: Fastify route schemas, and Fastify's
// own validation errors are 400s with `errors`.
const docs = /** @type {const} */ ({ target: 'fastify', validationStatus: 400 })

const user = {
  type: 'object',
  properties: { id: { type: 'string' }, email: { type: 'string' } },
  required: ['id', 'email'],
}

/**
 * Makes the app, not yet listening; `app.swagger()` gives the document once it is ready.
 * @param {{ token?: string, credit?: number }} [options]
 */
export async function createApp({ token = 'demo-token', credit = 0 } = {}) {
  const app = Fastify()
  await app.register(swagger, {
    openapi: { openapi: '3.1.0', info: { title: 'Users', version: '1.0.0' } },
    // Keep the components' names (by default @fastify/swagger names them def-0, def-1 …).
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) =>
        typeof json.$id === 'string' ? json.$id : `def-${index}`,
    },
  })
  await app.register(errorHandler, { validationStatus: 400 }) // Fastify's convention, as documented below
  // Problem and ValidationProblem, which the responses refer to by name.
  for (const schema of Object.values(openApiComponents(docs).schemas)) app.addSchema(schema)

  app.get(
    '/users/:id',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'string' } } },
        response: { 200: user, ...openApiResponses([NotFound], docs) },
      },
    },
    async (request) => {
      const { id } = /** @type {{ id: string }} */ (request.params)
      if (id !== '1') throw new NotFound(`No user ${id}`)
      return { id, email: 'ada@example.com' }
    },
  )

  app.post(
    '/users',
    {
      schema: {
        body: {
          type: 'object',
          properties: { email: { type: 'string', format: 'email' } },
          required: ['email'],
        },
        response: {
          201: user,
          ...openApiResponses([400, Unauthorized, OutOfCredit, TooManyRequests], docs),
        },
      },
    },
    async (request, reply) => {
      if (request.headers.authorization !== `Bearer ${token}`) {
        throw new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'users' } })
      }
      if (credit <= 0) {
        throw new OutOfCredit({ detail: `Your balance is ${credit}.`, extensions: { credit } })
      }
      const { email } = /** @type {{ email: string }} */ (request.body)
      return reply.code(201).send({ id: '2', email })
    },
  )
  return app
}
