/**
 * openApiResponses and openApiComponents: the responses per status (description, header
 * fields and whether each is required, content per format, examples the formatter renders),
 * whole OpenAPI 3.1 documents checked with @seriousme/openapi-schema-validator, and the same
 * responses used by @fastify/swagger (whose app then answers as documented, over a socket),
 * @hono/zod-openapi and zod-openapi@5. Examples and header values are checked against their
 * schemas with the draft 2020-12 ajv that Fastify ships.
 */
import { createRequire } from 'node:module'
import { OpenAPIHono, createRoute, z as honoZ } from '@hono/zod-openapi'
import { Validator } from '@seriousme/openapi-schema-validator'
import swagger from '@fastify/swagger'
import Fastify from 'fastify'
import * as z from 'zod'
import { createDocument } from 'zod-openapi'
import { describe, expect, it } from 'vitest'
import { errorHandler as fastifyErrorHandler } from '../adapters/fastify.js'
import { createApp as createExampleApp } from '../examples/openapi/app.js'
import {
  BadRequest,
  ContentTooLarge,
  createFormatter,
  defineProblemType,
  Forbidden,
  MethodNotAllowed,
  NotFound,
  ProxyAuthenticationRequired,
  RangeNotSatisfiable,
  ServiceUnavailable,
  TooManyRequests,
  Unauthorized,
  UnavailableForLegalReasons,
  UnprocessableEntity,
  UnsupportedMediaType,
  UpgradeRequired,
} from '../src/index.js'
import {
  openApiComponents,
  openApiResponses,
  problemSchema,
  type OpenApiResponse,
  type OpenApiResponsesOptions,
  type OpenApiSchema,
} from '../src/entries/schema.js'

class OutOfCredit extends defineProblemType({
  type: 'https://example.com/probs/out-of-credit',
  status: 403,
  title: 'You do not have enough credit.',
  titles: { 'zh-CN': '您的余额不足。' },
}) {}

class AccountLocked extends defineProblemType({
  type: 'https://example.com/probs/account-locked',
  status: 423,
  title: 'The account is locked.',
}) {}

interface Validate {
  (data: unknown): boolean
  errors?: unknown
}

/** Draft 2020-12 validators of schemas: ajv is borrowed from Fastify, as in schema.test.ts. */
const compile: (schema: object) => Validate = (() => {
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'))
  const fromCompiler = createRequire(fromFastify.resolve('@fastify/ajv-compiler'))
  const { default: Ajv2020 } = fromCompiler('ajv/dist/2020') as {
    default: new (options: object) => { compile(schema: object): Validate }
  }
  const { default: addFormats } = fromCompiler('ajv-formats') as {
    default: <T>(ajv: T) => T
  }
  const ajv = addFormats(new Ajv2020({ strict: true, allErrors: true }))
  const compiled = new Map<string, Validate>()
  return (schema) => {
    // Dereferenced schemas repeat the components' $id (target 'fastify'): one ajv takes each once.
    const plain = JSON.stringify(schema, (key, value: unknown) =>
      key === '$id' ? undefined : value,
    )
    let validate = compiled.get(plain)
    if (validate === undefined) {
      validate = ajv.compile(JSON.parse(plain) as object)
      compiled.set(plain, validate)
    }
    return validate
  }
})()

// Loading the OpenAPI meta-schemas takes a while on a busy machine: one validator for the file.
const validator = new Validator()
const SLOW = { timeout: 60_000 }

const info = { title: 'Users', version: '1.0.0' }

function responsesOf(errors: Parameters<typeof openApiResponses>[0], options = {}) {
  return openApiResponses(errors, options)
}

function responseOf(responses: Record<string, OpenApiResponse>, status: number): OpenApiResponse {
  const response = responses[String(status)]
  if (response === undefined) throw new Error(`no ${status} response`)
  return response
}

/** Validates an OpenAPI document and gives it with every $ref resolved. */
async function validDocument(document: object): Promise<Record<string, unknown>> {
  const result = await validator.validate(structuredClone(document) as Record<string, unknown>)
  expect(result.valid, JSON.stringify(result.errors, null, 2)).toBe(true)
  expect(validator.version).toBe('3.1')
  const resolved: Record<string, unknown> = validator.resolveRefs()
  return resolved
}

interface ResolvedResponse {
  headers?: Record<string, { schema: object; example?: unknown; required?: boolean }>
  content?: Record<
    string,
    { schema: object; example?: unknown; examples?: Record<string, { value: unknown }> }
  >
}

/** Every response of every operation in a dereferenced document, with its status. */
function operationResponses(document: Record<string, unknown>): [string, ResolvedResponse][] {
  const paths = document.paths as Record<string, Record<string, { responses: object }>>
  return Object.values(paths).flatMap((item) =>
    Object.values(item).flatMap(
      (operation) => Object.entries(operation.responses) as [string, ResolvedResponse][],
    ),
  )
}

/** Checks each example and header example of a dereferenced document against its schema. */
function expectExamplesMatchSchemas(document: Record<string, unknown>): number {
  let checked = 0
  for (const [status, response] of operationResponses(document)) {
    for (const [name, header] of Object.entries(response.headers ?? {})) {
      if (header.example === undefined) continue
      const validate = compile(header.schema)
      expect(validate(header.example), `${status} ${name}`).toBe(true)
      checked += 1
    }
    for (const [mediaType, media] of Object.entries(response.content ?? {})) {
      const validate = compile(media.schema)
      const values = [
        ...(media.example === undefined ? [] : [media.example]),
        ...Object.values(media.examples ?? {}).map((example) => example.value),
      ]
      for (const value of values) {
        expect(validate(value), `${status} ${mediaType}: ${JSON.stringify(validate.errors)}`).toBe(
          true,
        )
        checked += 1
      }
    }
  }
  return checked
}

const EXAMPLE_REQUEST = { method: 'GET', url: '/example' }

describe('openApiResponses', () => {
  it('keys each status once, as a string, in status order', () => {
    const responses = responsesOf([TooManyRequests, NotFound, 404, MethodNotAllowed, 503])
    expect(Object.keys(responses)).toEqual(['404', '405', '429', '503'])
  })

  it('describes each status with its English title', () => {
    const responses = responsesOf([NotFound, UnprocessableEntity, 520, 460])
    expect(responseOf(responses, 404).description).toBe('Not Found')
    expect(responseOf(responses, 422).description).toBe('Unprocessable Content')
    expect(responseOf(responses, 520).description).toBe('Web Server Returned an Unknown Error')
    expect(responseOf(responses, 460).description).toBe('Client Error')
  })

  it.each([
    [MethodNotAllowed, 'Allow', true, 'GET, HEAD, POST'],
    [Unauthorized, 'WWW-Authenticate', true, 'Bearer realm="api"'],
    [ProxyAuthenticationRequired, 'Proxy-Authenticate', true, 'Basic realm="proxy"'],
    [TooManyRequests, 'Retry-After', false, '120'],
    [ServiceUnavailable, 'Retry-After', false, '120'],
    [ContentTooLarge, 'Retry-After', false, '120'],
    [RangeNotSatisfiable, 'Content-Range', false, 'bytes */1234'],
    // Sent over HTTP/1.1 only: HTTP/2 has no Upgrade.
    [UpgradeRequired, 'Upgrade', false, 'TLS/1.3'],
    [UnsupportedMediaType, 'Accept', false, 'application/json'],
    [UnavailableForLegalReasons, 'Link', false, '<https://authority.example/>; rel="blocked-by"'],
  ])('documents what %o carries: %s (required: %s)', (ErrorClass, name, required, example) => {
    const response = responseOf(responsesOf([ErrorClass]), ErrorClass.status)
    const header = response.headers[name]
    expect(header?.required).toBe(required)
    expect(header?.example).toBe(example)
    expect(compile(header?.schema ?? {})(example)).toBe(true)
    expect(Object.keys(response.headers)).toEqual([name, 'Content-Language', 'Vary'])
  })

  it('documents Content-Language and Vary, always sent, on every status', () => {
    const response = responseOf(responsesOf([NotFound]), 404)
    expect(response.headers).toEqual({
      'Content-Language': expect.objectContaining({ required: true, example: 'en' }),
      Vary: expect.objectContaining({ required: true, example: 'Accept, Accept-Language' }),
    })
  })

  it('checks the form of Retry-After and Content-Range values', () => {
    const responses = responsesOf([TooManyRequests, RangeNotSatisfiable])
    const retryAfter = compile(responseOf(responses, 429).headers['Retry-After']?.schema ?? {})
    expect(retryAfter('Wed, 21 Oct 2015 07:28:00 GMT')).toBe(true)
    expect(retryAfter('soon')).toBe(false)
    const range = compile(responseOf(responses, 416).headers['Content-Range']?.schema ?? {})
    expect(range('bytes 0-10/20')).toBe(false)
  })

  it('gives, as examples, what the formatter sends for the error', () => {
    const response = responseOf(responsesOf([MethodNotAllowed]), 405)
    const format = createFormatter({ onWarning: false })
    const error = new MethodNotAllowed({ allow: ['GET', 'POST'] })
    const sent = (accept: string) => format(error, { ...EXAMPLE_REQUEST, headers: { accept } })
    expect(response.content['application/problem+json']?.example).toEqual(
      JSON.parse(sent('application/problem+json').body ?? ''),
    )
    expect(response.content['application/json']?.example).toEqual(
      JSON.parse(sent('application/json').body ?? ''),
    )
    expect(response.content['text/plain']?.example).toBe(sent('text/plain').body)
    expect(response.content['application/problem+xml']?.example).toBe(
      sent('application/problem+xml').body,
    )
    expect(response.headers.Allow?.example).toBe(sent('*/*').headers.allow)
    // The HTML page is the schema's string alone.
    expect(response.content['text/html']).toEqual({ schema: { type: 'string' } })
  })

  it('offers the formatter’s formats by default, in its order, and the formats asked for', () => {
    expect(Object.keys(responseOf(responsesOf([NotFound]), 404).content)).toEqual([
      'application/problem+json',
      'application/json',
      'text/html',
      'text/plain',
      'application/problem+xml',
      'application/xml',
    ])
    const only = responsesOf([NotFound], { formats: ['problem+json', 'text'] })
    expect(Object.keys(responseOf(only, 404).content)).toEqual([
      'application/problem+json',
      'text/plain',
    ])
  })

  it('refers JSON bodies to the Problem component, and the validation status to ValidationProblem', () => {
    const responses = responsesOf([NotFound, UnprocessableEntity])
    const json = (status: number) => responseOf(responses, status).content['application/json']
    expect(json(404)?.schema).toEqual({ $ref: '#/components/schemas/Problem' })
    expect(json(422)?.schema).toEqual({ $ref: '#/components/schemas/ValidationProblem' })
    expect(json(422)?.example).toMatchObject({
      status: 422,
      errors: [{ detail: 'must be a positive integer', pointer: '#/age' }],
    })
  })

  it('takes the validation status of the app', () => {
    const responses = responsesOf([BadRequest, UnprocessableEntity], { validationStatus: 400 })
    const schemaOf = (status: number) =>
      responseOf(responses, status).content['application/problem+json']?.schema
    expect(schemaOf(400)).toEqual({ $ref: '#/components/schemas/ValidationProblem' })
    expect(schemaOf(422)).toEqual({ $ref: '#/components/schemas/Problem' })
  })

  it('narrows the type to the typeBase URI of the status', () => {
    const responses = responsesOf([NotFound], { typeBase: 'https://errors.example.com/' })
    const media = responseOf(responses, 404).content['application/problem+json']
    expect(media?.schema).toEqual({
      allOf: [
        { $ref: '#/components/schemas/Problem' },
        {
          title: 'Not Found',
          type: 'object',
          properties: { type: { const: 'https://errors.example.com/not-found' } },
        },
      ],
    })
    expect(media?.example).toMatchObject({ type: 'https://errors.example.com/not-found' })
  })

  it('documents a problem type: its type URI and title, in the schema and the example', () => {
    const response = responseOf(responsesOf([OutOfCredit]), 403)
    expect(response.description).toBe('You do not have enough credit.')
    const media = response.content['application/problem+json']
    expect(media?.schema.allOf?.[1]).toEqual({
      title: 'You do not have enough credit.',
      type: 'object',
      properties: { type: { const: 'https://example.com/probs/out-of-credit' } },
    })
    expect(media?.example).toEqual({
      type: 'https://example.com/probs/out-of-credit',
      title: 'You do not have enough credit.',
      status: 403,
      instance: '/example',
    })
  })

  it('documents each problem type of a status, with one example each', () => {
    const response = responseOf(responsesOf([Forbidden, OutOfCredit, OutOfCredit]), 403)
    expect(response.description).toBe('Forbidden; You do not have enough credit.')
    const media = response.content['application/problem+json']
    expect(media?.schema.allOf?.[1]?.oneOf?.map((variant) => variant.properties?.type)).toEqual([
      { const: 'about:blank' },
      { const: 'https://example.com/probs/out-of-credit' },
    ])
    expect(media?.example).toBeUndefined()
    expect(Object.keys(media?.examples ?? {})).toEqual(['403', 'out-of-credit'])
    expect(response.content['text/plain']?.examples?.['out-of-credit']?.value).toBe(
      '403 You do not have enough credit.\n',
    )
  })

  it('adds problemTypes to the statuses documented, and only to those', () => {
    const responses = responsesOf([403, 404], { problemTypes: [OutOfCredit, AccountLocked] })
    expect(Object.keys(responses)).toEqual(['403', '404'])
    expect(
      Object.keys(responseOf(responses, 403).content['application/json']?.examples ?? {}),
    ).toEqual(['403', 'out-of-credit'])
  })

  it('documents a subclass whose constructor takes other arguments by its type', () => {
    class Overdrawn extends defineProblemType({
      type: 'https://example.com/probs/overdrawn',
      status: 402,
      title: 'The account is overdrawn.',
    }) {
      constructor(balance: number) {
        if (typeof balance !== 'number') throw new TypeError('balance must be a number')
        super({ extensions: { balance } })
      }
    }
    const media = responseOf(responsesOf([Overdrawn]), 402).content['application/json']
    expect(media?.example).toEqual({
      type: 'https://example.com/probs/overdrawn',
      title: 'The account is overdrawn.',
      status: 402,
      instance: '/example',
    })
  })

  it('names the components and prefixes the references as asked', () => {
    const options = { schemaNames: { problem: 'Error', validationProblem: 'InvalidRequest' } }
    const responses = responsesOf([NotFound, 422], { ...options, refPrefix: '#/$defs/' })
    expect(responseOf(responses, 404).content['application/json']?.schema).toEqual({
      $ref: '#/$defs/Error',
    })
    expect(responseOf(responses, 422).content['application/json']?.schema).toEqual({
      $ref: '#/$defs/InvalidRequest',
    })
    expect(Object.keys(openApiComponents(options).schemas)).toEqual(['Error', 'InvalidRequest'])
  })

  it('writes Fastify route schemas with target fastify', () => {
    const responses = openApiResponses([MethodNotAllowed], { target: 'fastify' })
    const response = responses['405']
    expect(response?.headers.Allow).toEqual({
      type: 'string',
      description: 'The methods the resource supports (RFC 9110 §10.2.1).',
      examples: ['GET, HEAD, POST'],
    })
    expect(response?.content['application/problem+json']?.schema).toEqual({ $ref: 'Problem' })
  })

  it.each<[string, unknown, OpenApiResponsesOptions?]>([
    ['errors that are no list', NotFound],
    ['a 2xx status', [200]],
    ['a status past 599', [600]],
    ['444, which answers with no response', [444]],
    ['a status as a string', ['404']],
    ['a class that is no errorshape error', [Error]],
    ['an object', [{ status: 404 }]],
    ['an unknown format', [NotFound], { formats: ['yaml' as 'json'] }],
    ['no formats', [NotFound], { formats: [] }],
    ['a typeBase that is no URI', [NotFound], { typeBase: 'not a uri' }],
    ['problemTypes of a plain class', [403], { problemTypes: [Forbidden] }],
    ['a validationStatus of 200', [NotFound], { validationStatus: 200 }],
    ['a refPrefix that is no string', [NotFound], { refPrefix: 1 as unknown as string }],
    ['a schema name with a space', [NotFound], { schemaNames: { problem: 'A b' } }],
    ['two schemas of one name', [NotFound], { schemaNames: { validationProblem: 'Problem' } }],
    ['an unknown target', [NotFound], { target: 'express' as 'openapi' }],
  ])('throws a TypeError for %s', (_, errors, options) => {
    expect(() => openApiResponses(errors as number[], options)).toThrow(TypeError)
  })

  it('names the bad entry', () => {
    expect(() => openApiResponses([NotFound, 200])).toThrow(
      'errorshape: openApiResponses errors[1] must be a status 400–599 other than 444 and 499',
    )
  })
})

describe('openApiComponents', () => {
  it('gives problemSchema as Problem, without $schema, and ValidationProblem with errors required', () => {
    const { schemas } = openApiComponents()
    const { $schema: _dialect, ...problem } = problemSchema
    expect(schemas.Problem).toEqual(problem)
    expect(schemas.ValidationProblem?.required).toEqual(['type', 'title', 'status', 'errors'])
    expect(schemas.ValidationProblem?.properties?.errors?.minItems).toBe(1)
    const validate = compile(schemas.ValidationProblem ?? {})
    expect(validate({ type: 'about:blank', title: 'X', status: 422 })).toBe(false)
    expect(validate({ type: 'about:blank', title: 'X', status: 422, errors: [] })).toBe(false)
    expect(
      validate({ type: 'about:blank', title: 'X', status: 422, errors: [{ detail: 'bad' }] }),
    ).toBe(true)
  })

  it('gives a fresh copy each time, and $id for Fastify', () => {
    const first = openApiComponents()
    first.schemas.Problem = { type: 'string' }
    expect(openApiComponents().schemas.Problem?.type).toBe('object')
    expect(openApiComponents({ target: 'fastify' }).schemas.Problem?.$id).toBe('Problem')
  })
})

describe('a whole OpenAPI 3.1 document', () => {
  const document = {
    openapi: '3.1.0',
    info,
    paths: {
      '/users/{id}': {
        get: {
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: {
            '200': { description: 'The user' },
            ...openApiResponses([NotFound, MethodNotAllowed, Unauthorized, 429, 503]),
          },
        },
      },
      '/users': {
        post: {
          responses: {
            '201': { description: 'Created' },
            ...openApiResponses([UnprocessableEntity, RangeNotSatisfiable, 403, UpgradeRequired], {
              typeBase: 'https://errors.example.com/',
              problemTypes: [OutOfCredit],
            }),
          },
        },
      },
    },
    components: openApiComponents(),
  }

  it('is valid, and every example fits its schema', SLOW, async () => {
    const resolved = await validDocument(document)
    expect(expectExamplesMatchSchemas(resolved)).toBeGreaterThan(50)
  })

  it('is refused when a header has no schema (the validator does check)', SLOW, async () => {
    const broken = structuredClone(document) as unknown as {
      paths: Record<string, { get?: { responses: Record<string, OpenApiResponse> } }>
    }
    const allow = broken.paths['/users/{id}']?.get?.responses['405']?.headers.Allow
    if (allow !== undefined) Reflect.deleteProperty(allow, 'schema')
    const result = await validator.validate(broken)
    expect(result.valid).toBe(false)
  })
})

describe('with @fastify/swagger', () => {
  /** A users app: errorshape's plugin, swagger, the components, and documented routes. */
  async function buildApp() {
    const app = Fastify()
    await app.register(swagger, {
      openapi: { openapi: '3.1.0', info },
      // Keep the components' names (the default names them def-0, def-1 …).
      refResolver: {
        buildLocalReference: (json, _baseUri, _fragment, index) =>
          typeof json.$id === 'string' ? json.$id : `def-${index}`,
      },
    })
    await app.register(fastifyErrorHandler, { onError: false, onWarning: false })
    for (const schema of Object.values(openApiComponents({ target: 'fastify' }).schemas)) {
      app.addSchema(schema)
    }
    app.get(
      '/users/:id',
      {
        schema: {
          params: { type: 'object', properties: { id: { type: 'string' } } },
          response: {
            200: { type: 'object', properties: { id: { type: 'string' } } },
            ...openApiResponses([NotFound, MethodNotAllowed, TooManyRequests], {
              target: 'fastify',
            }),
          },
        },
      },
      (request) => {
        const { id } = request.params as { id: string }
        if (id !== '1') throw new NotFound(`No user ${id}`)
        return Promise.resolve({ id })
      },
    )
    app.post(
      '/users',
      {
        schema: {
          body: {
            type: 'object',
            properties: { age: { type: 'integer', minimum: 0 } },
            required: ['age'],
          },
          // Fastify answers its own validation errors with a 400 with errors.
          response: openApiResponses([400, OutOfCredit], {
            target: 'fastify',
            validationStatus: 400,
          }),
        },
      },
      () => {
        throw new OutOfCredit({ detail: 'Your balance is 30.' })
      },
    )
    await app.ready()
    return app
  }

  it('builds a valid document whose examples fit their schemas', SLOW, async () => {
    const app = await buildApp()
    try {
      const document = app.swagger() as unknown as Record<string, unknown>
      const resolved = await validDocument(document)
      expect(expectExamplesMatchSchemas(resolved)).toBeGreaterThan(10)
      const paths = document.paths as Record<
        string,
        Record<string, { responses: Record<string, OpenApiResponse> }>
      >
      const notAllowed = paths['/users/{id}']?.get?.responses['405']
      expect(notAllowed?.description).toBe('Method Not Allowed')
      // @fastify/swagger has no `required` for a header; the example stays in the schema.
      expect(notAllowed?.headers.Allow).toEqual({
        description: 'The methods the resource supports (RFC 9110 §10.2.1).',
        schema: { type: 'string', examples: ['GET, HEAD, POST'] },
      })
      expect(notAllowed?.content['application/problem+json']?.schema).toEqual({
        $ref: '#/components/schemas/Problem',
      })
      expect(Object.keys((document.components as { schemas: object }).schemas)).toEqual([
        'Problem',
        'ValidationProblem',
      ])
    } finally {
      await app.close()
    }
  })

  it('answers as it documents, over a socket', SLOW, async () => {
    const app = await buildApp()
    try {
      const resolved = await validDocument(app.swagger())
      const paths = resolved.paths as Record<
        string,
        Record<string, { responses: Record<string, ResolvedResponse> }>
      >
      const origin = await app.listen({ host: '127.0.0.1', port: 0 })
      const cases = [
        ['/users/7', 'GET', undefined, paths['/users/{id}']?.get?.responses['404']],
        ['/users', 'POST', '{"age":-1}', paths['/users']?.post?.responses['400']],
        ['/users', 'POST', '{"age":1}', paths['/users']?.post?.responses['403']],
      ] as const
      for (const [path, method, body, documented] of cases) {
        const response = await fetch(`${origin}${path}`, {
          method,
          headers: { accept: 'application/problem+json', 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body }),
        })
        const schema = documented?.content?.['application/problem+json']?.schema ?? {}
        const validate = compile(schema)
        const problem: unknown = await response.json()
        expect(validate(problem), `${method} ${path}: ${JSON.stringify(validate.errors)}`).toBe(
          true,
        )
        expect(response.headers.get('content-language')).toBe('en')
        expect(response.headers.get('vary')).toBe('Accept, Accept-Language')
      }
    } finally {
      await app.close()
    }
  })
})

describe('the example (examples/openapi)', () => {
  it('documents its routes in a valid document', SLOW, async () => {
    const app = await createExampleApp()
    try {
      await app.ready()
      const document = app.swagger() as unknown as {
        paths: Record<string, Record<string, { responses: object }>>
      }
      const resolved = await validDocument(document)
      expect(expectExamplesMatchSchemas(resolved)).toBeGreaterThan(10)
      expect(Object.keys(document.paths['/users']?.post?.responses ?? {})).toEqual([
        '201',
        '400',
        '401',
        '403',
        '429',
      ])
    } finally {
      await app.close()
    }
  })
})

describe('with @hono/zod-openapi', () => {
  it(
    'takes the responses in createRoute and documents them in getOpenAPI31Document',
    SLOW,
    async () => {
      const app = new OpenAPIHono()
      for (const [name, schema] of Object.entries(openApiComponents().schemas)) {
        app.openAPIRegistry.registerComponent('schemas', name, schema)
      }
      const route = createRoute({
        method: 'get',
        path: '/users/{id}',
        request: { params: honoZ.object({ id: honoZ.string() }) },
        responses: {
          200: {
            description: 'The user',
            content: { 'application/json': { schema: honoZ.object({ id: honoZ.string() }) } },
          },
          ...openApiResponses([NotFound, Unauthorized, OutOfCredit, 429]),
        },
      })
      app.openapi(route, (c) => c.json({ id: c.req.valid('param').id }, 200))
      const document = app.getOpenAPI31Document({ openapi: '3.1.0', info })
      const resolved = await validDocument(document)
      expect(expectExamplesMatchSchemas(resolved)).toBeGreaterThan(10)
      const responses = document.paths?.['/users/{id}']?.get?.responses ?? {}
      expect(Object.keys(responses)).toEqual(['200', '401', '403', '404', '429'])
      expect(responses['401']).toEqual(openApiResponses([Unauthorized])['401'])
    },
  )
})

describe('with zod-openapi', () => {
  it('takes the responses and components in createDocument', SLOW, async () => {
    const document = createDocument({
      openapi: '3.1.0',
      info,
      paths: {
        '/users/{id}': {
          get: {
            requestParams: { path: z.object({ id: z.string() }) },
            responses: {
              '200': {
                description: 'The user',
                content: { 'application/json': { schema: z.object({ id: z.string() }) } },
              },
              ...openApiResponses([NotFound, MethodNotAllowed, UnprocessableEntity, OutOfCredit]),
            },
          },
        },
      },
      components: openApiComponents(),
    })
    const resolved = await validDocument(document)
    expect(expectExamplesMatchSchemas(resolved)).toBeGreaterThan(10)
    const schemas = document.components?.schemas as Record<string, OpenApiSchema> | undefined
    expect(Object.keys(schemas ?? {})).toEqual(['Problem', 'ValidationProblem'])
    expect(document.paths?.['/users/{id}']?.get?.responses?.['405']).toEqual(
      openApiResponses([MethodNotAllowed])['405'],
    )
  })
})
