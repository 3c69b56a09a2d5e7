import { Writable } from 'node:stream'
import type { AddressInfo } from 'node:net'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { errorHandler, type FastifyOptions } from '../../adapters/fastify.js'
import { BadRequest, createError, NotFound } from '../../src/index.js'

const QUIET: FastifyOptions = { onError: false, onWarning: false }

let app: FastifyInstance | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function build(
  options: FastifyOptions = QUIET,
  routes: (app: FastifyInstance) => void = () => undefined,
): Promise<FastifyInstance> {
  app = Fastify()
  await app.register(errorHandler, options)
  routes(app)
  await app.ready()
  return app
}

describe('errorshape/fastify: the plugin', () => {
  it('applies to routes of encapsulated child plugins registered after it', async () => {
    const server = await build(QUIET, (root) => {
      void root.register(
        (child, _options, done) => {
          child.get('/users/:id', () => {
            throw new NotFound('No user 42')
          })
          done()
        },
        { prefix: '/v1' },
      )
    })
    const response = await server.inject({ url: '/v1/users/42' })
    expect(response.statusCode).toBe(404)
    expect(response.headers['content-type']).toBe('application/problem+json')
    expect(response.json()).toMatchObject({ detail: 'No user 42', instance: '/v1/users/42' })
  })

  it('answers unmatched routes, and every method, with a shaped 404', async () => {
    const server = await build()
    const response = await server.inject({ method: 'DELETE', url: '/nothing?x=1' })
    expect(response.statusCode).toBe(404)
    expect(response.json()).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      instance: '/nothing',
    })
  })

  it('is named in the plugin tree', async () => {
    const server = await build()
    expect(server.printPlugins()).toContain('errorshape')
  })

  it('rejects a bad option when registered, naming it', async () => {
    app = Fastify()
    await expect(
      app.register(errorHandler, { dropHeaders: ['bad name'] } as FastifyOptions),
    ).rejects.toThrow('option dropHeaders')
  })

  it('sends the body as is, whatever reply serializer the app set', async () => {
    const server = await build(QUIET, (root) => {
      root.setReplySerializer(() => 'SERIALIZED')
      root.get('/fail', () => {
        throw new BadRequest('page must be a number')
      })
    })
    const response = await server.inject({ url: '/fail' })
    expect(response.headers['content-type']).toBe('application/problem+json')
    expect(response.json()).toMatchObject({ status: 400, detail: 'page must be a number' })
  })
})

describe("errorshape/fastify: Fastify's own validation errors", () => {
  const routes = (root: FastifyInstance): void => {
    root.post(
      '/users',
      {
        schema: {
          body: {
            type: 'object',
            required: ['name'],
            properties: { name: { type: 'string' }, 'e/mail': { type: 'string', format: 'email' } },
          },
        },
      },
      () => 'created',
    )
    root.get(
      '/items/:id',
      {
        schema: {
          params: { type: 'object', properties: { id: { type: 'integer' } } },
          querystring: { type: 'object', properties: { page: { type: 'integer', minimum: 1 } } },
        },
      },
      () => 'item',
    )
  }

  it.each([
    [
      'a missing body member',
      { method: 'POST', url: '/users', payload: {} },
      "body must have required property 'name'",
      { detail: "must have required property 'name'", pointer: '#/body/name' },
    ],
    [
      'a body member with "/" in its name',
      { method: 'POST', url: '/users', payload: { name: 'a', 'e/mail': 'x' } },
      'body/e~1mail must match format "email"',
      { detail: 'must match format "email"', pointer: '#/body/e~1mail' },
    ],
    [
      'a query parameter',
      { method: 'GET', url: '/items/1?page=0' },
      'querystring/page must be >= 1',
      { detail: 'must be >= 1', pointer: '#/querystring/page' },
    ],
    [
      'a path parameter',
      { method: 'GET', url: '/items/abc' },
      'params/id must be integer',
      { detail: 'must be integer', pointer: '#/params/id' },
    ],
  ] as const)(
    'answers %s with the validation status (422, or 400 when asked) whose errors point at it',
    async (_, request, detail, item) => {
      for (const validationStatus of [undefined, 400] as const) {
        const server = await build(
          { ...QUIET, ...(validationStatus && { validationStatus }) },
          routes,
        )
        const response = await server.inject(request)
        const status = validationStatus ?? 422
        expect(response.statusCode).toBe(status)
        expect(response.json()).toMatchObject({ status, detail, errors: [item] })
        await server.close()
      }
    },
  )

  it('answers a body that is not JSON with a 400, and an unknown media type with a 415', async () => {
    const server = await build(QUIET, routes)
    const broken = await server.inject({
      method: 'POST',
      url: '/users',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    })
    expect(broken.statusCode).toBe(400)
    expect(broken.headers['content-type']).toBe('application/problem+json')
    const unknown = await server.inject({
      method: 'POST',
      url: '/users',
      headers: { 'content-type': 'text/csv' },
      payload: 'a,b',
    })
    expect(unknown.statusCode).toBe(415)
    expect(unknown.json()).toMatchObject({ status: 415 })
  })

  it("lets the app's own mapper go first", async () => {
    const server = await build(
      {
        ...QUIET,
        map: (error) =>
          (error as { validation?: unknown }).validation
            ? new BadRequest('Check your input')
            : undefined,
      },
      routes,
    )
    const response = await server.inject({ method: 'POST', url: '/users', payload: {} })
    expect(response.json()).toMatchObject({ status: 400, detail: 'Check your input' })
    expect(response.json()).not.toHaveProperty('errors')
  })
})

describe('errorshape/fastify: the response the route had started', () => {
  const routes = (root: FastifyInstance): void => {
    root.addHook('onRequest', (_request, reply, done) => {
      void reply.header('access-control-allow-origin', '*').header('vary', 'Origin')
      done()
    })
    root.get('/fail', (_request, reply) => {
      void reply
        .header('x-request-id', 'r-1')
        .header('etag', '"v1"')
        .header('cache-control', 'public')
      reply.raw.setHeader('x-raw', 'stale')
      throw new NotFound()
    })
  }

  it("keeps fields set before the error but the representation's and dropHeaders; merges Vary", async () => {
    const server = await build({ ...QUIET, dropHeaders: ['X-Raw'] }, routes)
    const response = await server.inject({ url: '/fail' })
    expect(response.statusCode).toBe(404)
    expect(response.headers).toMatchObject({
      'access-control-allow-origin': '*',
      'x-request-id': 'r-1',
      vary: 'Origin, Accept, Accept-Language',
      'cache-control': 'no-store',
    })
    expect(response.headers).not.toHaveProperty('etag')
    expect(response.headers).not.toHaveProperty('x-raw')
  })

  it('cuts a response whose head was already sent', async () => {
    const reports: unknown[] = []
    app = Fastify()
    await app.register(errorHandler, {
      onWarning: false,
      onError: (_error, info) => reports.push(info.headersSent),
    })
    app.get('/partial', async (_request, reply) => {
      reply.raw.writeHead(200, { 'content-type': 'text/plain' })
      reply.raw.write('first chunk')
      await Promise.resolve()
      throw new Error('late failure')
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    const response = await fetch(`http://127.0.0.1:${port}/partial`)
    expect(response.status).toBe(200)
    await expect(response.text()).rejects.toThrow(TypeError)
    expect(reports).toEqual([true])
  })
})

describe('errorshape/fastify: reporting', () => {
  function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
    const lines: Record<string, unknown>[] = []
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>)
        callback()
      },
    })
    return { lines, stream }
  }

  it('logs 5xx through request.log.error by default, and 4xx not at all', async () => {
    const { lines, stream } = capture()
    app = Fastify({ logger: { level: 'warn', stream } })
    await app.register(errorHandler, { onWarning: false })
    app.get('/crash', () => {
      throw new Error('database down')
    })
    app.get('/missing', () => {
      throw new NotFound()
    })
    await app.inject({ url: '/missing' })
    await app.inject({ url: '/crash' })
    const errors = lines.filter((line) => line.level === 50)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatchObject({ msg: 'database down', err: { message: 'database down' } })
  })

  it('hands onError the thrown value, the status and the request; a throwing onError is survived', async () => {
    const seen: { error: unknown; status: number; url: string }[] = []
    const thrown = new Error('boom')
    const server = await build(
      {
        onWarning: false,
        onError: (error, info) => {
          seen.push({ error, status: info.status, url: info.request.url })
          throw new Error('onError failed')
        },
      },
      (root) =>
        root.get('/boom', () => {
          throw thrown
        }),
    )
    const original = console.error
    const logged: unknown[] = []
    console.error = (...args: unknown[]) => logged.push(args)
    try {
      const response = await server.inject({ url: '/boom' })
      expect(response.statusCode).toBe(500)
    } finally {
      console.error = original
    }
    expect(seen).toEqual([{ error: thrown, status: 500, url: '/boom' }])
    expect(logged).toHaveLength(1)
  })
})

describe('a 304 on Fastify', () => {
  it('keeps the validators the handler set (RFC 9110 §15.4.5)', async () => {
    const app = Fastify()
    await app.register(errorHandler, { onError: false })
    app.get('/c', async (_request, reply) => {
      void reply.header('ETag', '"v1"').header('Content-Disposition', 'attachment')
      throw createError(304)
    })
    const res = await app.inject({ method: 'GET', url: '/c' })
    expect(res.statusCode).toBe(304)
    expect(res.headers.etag).toBe('"v1"')
    expect(res.headers).not.toHaveProperty('content-disposition')
    await app.close()
  })
})
