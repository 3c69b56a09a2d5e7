import Fastify from 'fastify'
import { Hono, type Context } from 'hono'
import { describe, expectTypeOf, it } from 'vitest'
import { errorHandler as fastifyErrorHandler } from '../../adapters/fastify.js'
import { toResponse } from '../../adapters/fetch.js'
import { errorHandler as honoErrorHandler, notFound } from '../../adapters/hono.js'
import { parseProblem, type ParsedError } from '../../src/entries/client.js'
import { problemSchema } from '../../src/entries/schema.js'
import { validationError, type HttpError, type UnprocessableContent } from '../../src/index.js'

describe('types of the runtimes, the client and validation', () => {
  it('registers on Fastify with typed options', () => {
    const app = Fastify()
    void app.register(fastifyErrorHandler, { typeBase: 'https://errors.example.com/' })
    // @ts-expect-error dropHeaders is a list of names
    void app.register(fastifyErrorHandler, { dropHeaders: 'X-Id' })
  })

  it('plugs into Hono, onError seeing the Context', () => {
    const app = new Hono()
    app.onError(
      honoErrorHandler({
        onError: (_error, info) => {
          expectTypeOf(info.request).toEqualTypeOf<Context>()
        },
      }),
    )
    app.notFound(notFound())
  })

  it('gives a Response from toResponse', () => {
    expectTypeOf(
      toResponse(new Error('x'), new Request('https://a.example/')),
    ).toEqualTypeOf<Response>()
  })

  it('gives a ParsedError, an HttpError with retryAfter', () => {
    expectTypeOf(parseProblem).returns.resolves.toEqualTypeOf<ParsedError>()
    expectTypeOf<ParsedError>().toExtend<HttpError>()
    expectTypeOf<ParsedError['retryAfter']>().toEqualTypeOf<number | Date | undefined>()
  })

  it('takes Standard Schema issues or an error carrying them', () => {
    expectTypeOf(
      validationError([{ message: 'bad', path: ['a', { key: 0 }] }]),
    ).toEqualTypeOf<UnprocessableContent>()
    validationError({ issues: [{ message: 'bad' }] }, { pointerPrefix: '#/body', code: 'X' })
    // @ts-expect-error an issue needs a message
    validationError([{ path: ['a'] }])
  })

  it('keeps problemSchema a literal type', () => {
    expectTypeOf(problemSchema.properties.status.maximum).toEqualTypeOf<599>()
    expectTypeOf(problemSchema.required).toEqualTypeOf<readonly ['type', 'title', 'status']>()
  })
})
