/**
 * ErrorshapeFilter on Nest's Express platform and on its Fastify one: one list of routes, one
 * set of expectations, run on both. Each platform serves one app (helmet before the routes,
 * the filter registered with `useGlobalFilters`) for most tests; the other ways to register
 * it get small apps of their own, started and closed inside their test.
 */
import { request, type ServerResponse } from 'node:http'
import {
  BadRequestException,
  Body,
  ConflictException,
  ForbiddenException,
  HttpException,
  Logger,
  NotFoundException,
  Res,
  ServiceUnavailableException,
  StandardSchemaValidationPipe,
  ValidationPipe,
} from '@nestjs/common'
import { APP_FILTER } from '@nestjs/core'
import { ExternalExceptionsHandler } from '@nestjs/core/exceptions/external-exceptions-handler.js'
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js'
import { Type } from 'class-transformer'
import { IsInt, IsOptional, IsString, Min, ValidateNested } from 'class-validator'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { ErrorshapeFilter, type ErrorshapeFilterOptions } from '../../adapters/nest.js'
import {
  MethodNotAllowed,
  NotFound,
  ServiceUnavailable,
  TooManyRequests,
  Unauthorized,
} from '../../src/index.js'
import { BROWSER_ACCEPT, expectErrorHeaders, json } from '../matrix/expectations.js'
import { expectSameFields, HELMET_FIELDS } from '../middleware/fields.js'
import { filterLogs, PLATFORMS, startNest, type Route, type RunningNest } from './app.js'

class AddressDto {
  declare city: string
}
IsString()(AddressDto.prototype, 'city')

class UserDto {
  declare name: string
  declare age: number
  declare address?: AddressDto
}
IsString()(UserDto.prototype, 'name')
IsInt()(UserDto.prototype, 'age')
Min(0)(UserDto.prototype, 'age')
IsOptional()(UserDto.prototype, 'address')
ValidateNested()(UserDto.prototype, 'address')
Type(() => AddressDto)(UserDto.prototype, 'address')

/** The same rules as UserDto, as a Standard Schema (zod 4), for StandardSchemaValidationPipe. */
const USER = z.object({
  name: z.string(),
  age: z.number().int().min(0),
  address: z.object({ city: z.string() }).optional(),
})

const JSON_BODY = { 'content-type': 'application/json' }
const INVALID_USER = JSON.stringify({ name: 7, age: -1, address: { city: 5 } })

/** The status code and phrase of a JSON POST, as node:http reads them. */
function statusLine(port: number, path: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { host: '127.0.0.1', port, method: 'POST', path, headers: JSON_BODY, agent: false },
      (response) => {
        response.resume()
        resolve(`${String(response.statusCode)} ${String(response.statusMessage)}`)
      },
    )
    outgoing.on('error', reject)
    outgoing.end(body)
  })
}

/** A handler that throws what `thrown` makes. */
function throwing(thrown: () => unknown): () => never {
  return () => {
    throw thrown()
  }
}

/** Starts a 200 on the platform's Node response and writes part of its body. */
function startBody(response: unknown): void {
  const res = (response as { raw?: ServerResponse }).raw ?? (response as ServerResponse)
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '100' })
  res.write('partial')
}

const ROUTES: readonly Route[] = [
  { path: 'ok', handle: () => 'fine' },
  { path: 'admin', handle: () => 'admin page' },
  { path: 'users/42', handle: throwing(() => new NotFound('No user 42')) },
  { path: '405', handle: throwing(() => new MethodNotAllowed({ allow: ['GET', 'POST'] })) },
  {
    path: '401',
    handle: throwing(() => new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } })),
  },
  { path: '429', handle: throwing(() => new TooManyRequests('Slow down', { retryAfter: 30 })) },
  { path: 'gone', handle: throwing(() => new ServiceUnavailable('Back soon', { retryAfter: 30 })) },
  { path: 'boom', handle: throwing(() => new Error('password=hunter2 rejected by db')) },
  { path: 'string', handle: throwing(() => 'secret string') },
  { path: 'forbidden', handle: throwing(() => new ForbiddenException('Not yours')) },
  {
    path: 'unavailable',
    handle: throwing(() => new ServiceUnavailableException('db at 10.0.0.7 refused')),
  },
  { path: 'teapot', handle: throwing(() => new HttpException('Short and stout', 418)) },
  { path: 'object-body', handle: throwing(() => new HttpException({ reason: 'secret' }, 409)) },
  { path: 'not-found', handle: throwing(() => new NotFoundException()) },
  {
    path: 'coded',
    handle: throwing(() => new ConflictException('Email taken', { errorCode: 'EMAIL_TAKEN' })),
  },
  {
    path: 'report',
    headers: { 'X-Custom': 'handler', ETag: '"v1"', 'Cache-Control': 'max-age=60' },
    handle: throwing(() => new Error('render failed')),
  },
  {
    method: 'POST',
    path: 'users',
    param: { decorator: Body(new ValidationPipe()), type: UserDto },
    handle: (user) => user,
  },
  {
    method: 'POST',
    path: 'strict-users',
    param: {
      decorator: Body(
        new ValidationPipe({ exceptionFactory: (errors) => new BadRequestException(errors) }),
      ),
      type: UserDto,
    },
    handle: (user) => user,
  },
  {
    method: 'POST',
    path: 'grouped-users',
    param: { decorator: Body(new ValidationPipe({ errorFormat: 'grouped' })), type: UserDto },
    handle: (user) => user,
  },
  {
    method: 'POST',
    path: 'schema-users',
    param: { decorator: Body({ schema: USER, pipes: [new StandardSchemaValidationPipe()] }) },
    handle: (user) => user,
  },
  {
    method: 'POST',
    path: 'strict-schema-users',
    param: {
      decorator: Body({
        schema: USER,
        pipes: [
          new StandardSchemaValidationPipe({
            exceptionFactory: (issues) => new BadRequestException(issues),
          }),
        ],
      }),
    },
    handle: (user) => user,
  },
  {
    path: 'partial',
    param: { decorator: Res() },
    handle: async (response) => {
      startBody(response)
      // The head and the first chunk leave (Node uncorks the socket on the next tick).
      await new Promise((resolve) => setImmediate(resolve))
      throw new Error('failed mid-body')
    },
  },
]

describe.each(PLATFORMS)("ErrorshapeFilter on Nest's %s platform", (platform) => {
  let app: RunningNest
  beforeAll(async () => {
    app = await startNest(platform, {
      routes: ROUTES,
      helmet: true,
      middleware: {
        path: '/members',
        handle: (_req, _res, next) => {
          next(new MethodNotAllowed({ allow: ['POST'] }))
        },
      },
      nestMiddleware: {
        path: 'admin',
        handle: () => {
          throw new Unauthorized({ challenge: { scheme: 'Basic', realm: 'admin' } })
        },
      },
      filter: () => new ErrorshapeFilter(),
    })
  })
  afterAll(async () => {
    await app.close()
  })
  const send = (...args: Parameters<RunningNest['client']['send']>) => app.client.send(...args)

  describe('what a controller throws', () => {
    it("answers errorshape's NotFound with its status and message; instance is the path", async () => {
      const response = await send({ path: '/users/42?page=2' })
      expect(response.status).toBe(404)
      expect(response.headers['content-type']).toBe('application/problem+json')
      expect(json(response)).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        detail: 'No user 42',
        instance: '/users/42',
      })
      expectErrorHeaders(response)
    })

    it.each([
      ['/405', 405, 'allow', 'GET, HEAD, POST'],
      ['/401', 401, 'www-authenticate', 'Bearer realm="api"'],
      ['/429', 429, 'retry-after', '30'],
    ])('keeps the field the error carries (%s → %i, %s)', async (path, status, field, value) => {
      const response = await send({ path })
      expect(response.status).toBe(status)
      expect(response.headers[field]).toBe(value)
      expectErrorHeaders(response)
    })

    it("answers an unknown Error with a hidden 500, logged through Nest's Logger", async () => {
      app.logs.length = 0
      const response = await send({ path: '/boom' })
      expect(response.status).toBe(500)
      expect(json(response)).toEqual({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        instance: '/boom',
      })
      expect(response.text).not.toContain('hunter2')
      const logged = filterLogs(app.logs)
      expect(logged).toHaveLength(1)
      expect(logged[0]?.slice(0, 2)).toEqual(['error', 'password=hunter2 rejected by db'])
      expect(String(logged[0]?.[2])).toMatch(/^Error: password=hunter2 rejected by db\n\s+at /)
    })

    it('answers a thrown string with a 500 that does not show it', async () => {
      const response = await send({ path: '/string' })
      expect(response.status).toBe(500)
      expect(response.text).not.toContain('secret')
    })

    it('logs no 4xx', async () => {
      app.logs.length = 0
      expect((await send({ path: '/forbidden' })).status).toBe(403)
      expect((await send({ path: '/nowhere' })).status).toBe(404)
      expect(filterLogs(app.logs)).toEqual([])
    })
  })

  describe("Nest's HttpExceptions", () => {
    it.each([
      ['/forbidden', 403, 'Forbidden', 'Not yours'],
      ['/teapot', 418, "I'm a Teapot", 'Short and stout'],
    ])('show the message of a 4xx (%s)', async (path, status, title, detail) => {
      const response = await send({ path })
      expect(response.status).toBe(status)
      expect(json(response)).toEqual({ type: 'about:blank', title, status, detail, instance: path })
      expectErrorHeaders(response)
    })

    it('hide the message of a 5xx', async () => {
      const response = await send({ path: '/unavailable' })
      expect(response.status).toBe(503)
      expect(json(response)).toEqual({
        type: 'about:blank',
        title: 'Service Unavailable',
        status: 503,
        instance: '/unavailable',
      })
      expect(response.text).not.toContain('10.0.0.7')
    })

    it('send neither a detail nor the members of a body object without a message', async () => {
      const response = await send({ path: '/object-body' })
      expect(response.status).toBe(409)
      expect(json(response)).toEqual({
        type: 'about:blank',
        title: 'Conflict',
        status: 409,
        instance: '/object-body',
      })
    })

    it('send no detail for the default message', async () => {
      const response = await send({ path: '/not-found' })
      expect(response.status).toBe(404)
      expect(json(response)).not.toHaveProperty('detail')
    })

    it("send Nest's errorCode as code", async () => {
      const response = await send({ path: '/coded' })
      expect(response.status).toBe(409)
      expect(json(response)).toMatchObject({ detail: 'Email taken', code: 'EMAIL_TAKEN' })
    })
  })

  describe('ValidationPipe', () => {
    it("answers class-validator's messages as errors without pointers, with a 422", async () => {
      const response = await send({
        method: 'POST',
        path: '/users',
        headers: JSON_BODY,
        body: INVALID_USER,
      })
      expect(response.status).toBe(422)
      expect(json(response)).toEqual({
        type: 'about:blank',
        title: 'Unprocessable Content',
        status: 422,
        instance: '/users',
        errors: [
          { detail: 'name must be a string' },
          { detail: 'age must not be less than 0' },
          { detail: 'address.city must be a string' },
        ],
      })
      expectErrorHeaders(response)
    })

    it('answers the ValidationErrors an exceptionFactory keeps with a pointer each', async () => {
      const response = await send({
        method: 'POST',
        path: '/strict-users',
        headers: JSON_BODY,
        body: INVALID_USER,
      })
      expect(response.status).toBe(422)
      expect(json(response).errors).toEqual([
        { detail: 'name must be a string', pointer: '#/name' },
        { detail: 'age must not be less than 0', pointer: '#/age' },
        { detail: 'city must be a string', pointer: '#/address/city' },
      ])
    })

    it("answers ValidationPipe's grouped messages with a pointer each", async () => {
      const response = await send({
        method: 'POST',
        path: '/grouped-users',
        headers: JSON_BODY,
        body: INVALID_USER,
      })
      expect(response.status).toBe(422)
      expect(json(response).errors).toEqual([
        { detail: 'name must be a string', pointer: '#/name' },
        { detail: 'age must not be less than 0', pointer: '#/age' },
        { detail: 'city must be a string', pointer: '#/address/city' },
      ])
    })

    it("answers StandardSchemaValidationPipe's messages as errors without pointers", async () => {
      const response = await send({
        method: 'POST',
        path: '/schema-users',
        headers: JSON_BODY,
        body: INVALID_USER,
      })
      expect(response.status).toBe(422)
      expect(json(response).errors).toEqual([
        { detail: 'name: Invalid input: expected string, received number' },
        { detail: 'age: Too small: expected number to be >=0' },
        { detail: 'address.city: Invalid input: expected string, received number' },
      ])
    })

    it('answers the Standard Schema issues an exceptionFactory keeps with a pointer each', async () => {
      const response = await send({
        method: 'POST',
        path: '/strict-schema-users',
        headers: JSON_BODY,
        body: INVALID_USER,
      })
      expect(response.status).toBe(422)
      expect(json(response).errors).toEqual([
        { detail: 'Invalid input: expected string, received number', pointer: '#/name' },
        { detail: 'Too small: expected number to be >=0', pointer: '#/age' },
        { detail: 'Invalid input: expected string, received number', pointer: '#/address/city' },
      ])
    })

    it('sends the RFC 9110 phrase on the status line (Node says Unprocessable Entity)', async () => {
      const line = await statusLine(app.port, '/users', INVALID_USER)
      expect(line).toBe('422 Unprocessable Content')
    })

    it('lets a valid body through', async () => {
      const valid = JSON.stringify({ name: 'Ada', age: 36 })
      const response = await send({
        method: 'POST',
        path: '/users',
        headers: JSON_BODY,
        body: valid,
      })
      expect(response.status).toBe(201)
      expect(json(response)).toEqual({ name: 'Ada', age: 36 })
    })

    it("answers a body the platform's parser rejects with a 400", async () => {
      const response = await send({
        method: 'POST',
        path: '/users',
        headers: JSON_BODY,
        body: '{"name":',
      })
      expect(response.status).toBe(400)
      expect(response.headers['content-type']).toBe('application/problem+json')
      expect(json(response)).toMatchObject({ status: 400, title: 'Bad Request' })
      expectErrorHeaders(response)
    })
  })

  describe('errors that reach Nest outside a controller', () => {
    it("keep errorshape's fields when a middleware passes them to next()", async () => {
      const response = await send({ path: '/members' })
      expect(response.status).toBe(405)
      expect(response.headers.allow).toBe('POST')
      expectErrorHeaders(response)
    })

    it('answer what a Nest middleware throws (on Fastify, on the raw Node response)', async () => {
      const response = await send({ path: '/admin' })
      expect(response.status).toBe(401)
      expect(response.headers['www-authenticate']).toBe('Basic realm="admin"')
      expect(json(response).instance).toBe('/admin')
      expectErrorHeaders(response)
      // helmet ran before it, as @fastify/helmet's onRequest hook does before middie's.
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN')
    })

    it("answer a body over the platform's limit with a 413", async () => {
      const response = await send({
        method: 'POST',
        path: '/users',
        headers: JSON_BODY,
        body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }),
      })
      expect(response.status).toBe(413)
      expect(json(response)).toMatchObject({ status: 413, title: 'Content Too Large' })
      expectErrorHeaders(response)
    })
  })

  describe('requests no route answers', () => {
    it("answer a plain 404, without Nest's `Cannot GET` message", async () => {
      const response = await send({ path: '/nowhere?x=1' })
      expect(response.status).toBe(404)
      expect(json(response)).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        instance: '/nowhere',
      })
      expectErrorHeaders(response)
    })
  })

  describe('content negotiation', () => {
    it('answers a browser with an HTML page under its own Content-Security-Policy', async () => {
      const response = await send({ path: '/users/42', headers: { accept: BROWSER_ACCEPT } })
      expect(response.status).toBe(404)
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(response.headers['content-security-policy']).toContain("default-src 'none'")
      expect(response.text).toMatch(/^<!DOCTYPE html>/i)
      expect(response.text).toContain('No user 42')
      expectErrorHeaders(response)
    })

    it.each([
      ['text/plain', 'text/plain; charset=utf-8', '404 Not Found'],
      ['application/json', 'application/json', '{"type":"about:blank"'],
      ['application/problem+xml', 'application/problem+xml; charset=utf-8', '<?xml'],
    ])('answers "Accept: %s" with %s', async (accept, contentType, start) => {
      const response = await send({ path: '/users/42', headers: { accept } })
      expect(response.headers['content-type']).toBe(contentType)
      expect(response.text.startsWith(start)).toBe(true)
      expectErrorHeaders(response)
    })

    it('answers in Chinese to "Accept-Language: zh-CN", with an exact byte length', async () => {
      const response = await send({
        path: '/nowhere',
        headers: { accept: 'text/plain', 'accept-language': 'zh-CN' },
      })
      expect(response.status).toBe(404)
      expect(response.headers['content-language']).toBe('zh-CN')
      expect(response.text).toContain('未找到')
      expect(response.body.length).toBeGreaterThan(response.text.length)
      expectErrorHeaders(response)
    })
  })

  describe('HEAD', () => {
    const IGNORED = new Set(['date', 'connection', 'keep-alive'])
    const comparable = (headers: Readonly<Record<string, unknown>>) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => !IGNORED.has(name)))

    it.each([
      ['a thrown 503', '/gone'],
      ['an unmatched path', '/nowhere'],
    ])('carries the fields GET would, and no body (%s)', async (_name, path) => {
      const headers = { accept: 'text/plain', 'accept-language': 'zh-CN' }
      const got = await send({ path, headers })
      const head = await send({ method: 'HEAD', path, headers })
      expect(head.status).toBe(got.status)
      expect(head.complete).toBe(true)
      expect(head.body.length).toBe(0)
      // Content-Length included: GET's, as RFC 9110 §9.3.2 allows.
      expect(comparable(head.headers)).toEqual(comparable(got.headers))
      expect(Number(head.headers['content-length'])).toBeGreaterThan(0)
    })

    it('answers with a head and not one byte of body, on the wire', async () => {
      const raw = (
        await app.client.raw(
          'HEAD /gone HTTP/1.1\r\nHost: localhost\r\nAccept: text/html\r\nConnection: close\r\n\r\n',
        )
      ).toString('latin1')
      const end = raw.indexOf('\r\n\r\n')
      expect(end).toBeGreaterThan(0)
      const head = raw.slice(0, end).toLowerCase()
      expect(head.startsWith('http/1.1 503 ')).toBe(true)
      expect(head).toContain('retry-after: 30')
      expect(head).toContain('content-type: text/html; charset=utf-8')
      expect(raw.slice(end + 4)).toBe('')
    })
  })

  describe('fields set before the error', () => {
    it('keeps what @Header() set, but the fields of the failed representation', async () => {
      const response = await send({ path: '/report' })
      expect(response.status).toBe(500)
      expect(response.headers['x-custom']).toBe('handler')
      expect(response.headers).not.toHaveProperty('etag')
      expect(response.headers['cache-control']).toBe('no-store')
      expectErrorHeaders(response)
    })

    it.each([
      ['a thrown error', '/users/42'],
      ['an unmatched path', '/nowhere'],
    ])("keeps every helmet field on %s (JSON: helmet's own CSP too)", async (_name, path) => {
      const ok = await send({ path: '/ok' })
      const failed = await send({ path })
      expect(ok.status).toBe(200)
      expect(failed.status).toBe(404)
      expectSameFields(failed.headers, ok.headers, [...HELMET_FIELDS, 'content-security-policy'])
    })

    it('cuts a response whose head was sent, and reports it once', async () => {
      app.logs.length = 0
      const response = await send({ path: '/partial' })
      expect(response.status).toBe(200)
      expect(response.complete).toBe(false)
      expect(response.error).toBe('ECONNRESET')
      expect(response.text).toBe('partial')
      expect(filterLogs(app.logs)).toHaveLength(1)
      // The server goes on.
      expect((await send({ path: '/ok' })).status).toBe(200)
    })
  })

  if (platform === 'fastify') {
    it('leaves Fastify nothing to warn about (the reply is sent once)', async () => {
      expect((await send({ path: '/users/42' })).status).toBe(404)
      expect((await send({ path: '/nowhere' })).status).toBe(404)
      expect(app.fastifyLogs).toEqual([])
    })
  }
})

describe.each(PLATFORMS)('registering ErrorshapeFilter on %s', (platform) => {
  const routes: readonly Route[] = [
    { path: 'missing', handle: throwing(() => new NotFound()) },
    { path: 'boom', headers: { 'X-Custom': 'handler' }, handle: throwing(() => new Error('x')) },
    {
      method: 'POST',
      path: 'users',
      param: { decorator: Body(new ValidationPipe()), type: UserDto },
      handle: (user) => user,
    },
  ]

  it('as an APP_FILTER made by useFactory, with its options', async () => {
    const reports: unknown[][] = []
    const options: ErrorshapeFilterOptions = {
      typeBase: 'https://errors.example.com/',
      dropHeaders: ['x-custom'],
      validationStatus: 400,
      onError: (error, { status, headersSent }) => {
        reports.push([error, status, headersSent])
      },
    }
    const app = await startNest(platform, {
      routes,
      providers: [{ provide: APP_FILTER, useFactory: () => new ErrorshapeFilter(options) }],
    })
    try {
      for (const path of ['/missing', '/nowhere']) {
        const response = await app.client.send({ path })
        expect(response.status).toBe(404)
        expect(json(response).type).toBe('https://errors.example.com/not-found')
      }
      const boom = await app.client.send({ path: '/boom' })
      expect(boom.status).toBe(500)
      expect(boom.headers).not.toHaveProperty('x-custom')
      const invalid = await app.client.send({
        method: 'POST',
        path: '/users',
        headers: JSON_BODY,
        body: INVALID_USER,
      })
      expect(invalid.status).toBe(400)
      expect(json(invalid).errors).toHaveLength(3)
      expect(reports.map(([, status]) => status)).toEqual([404, 404, 500, 400])
      expect(reports[2]?.[0]).toEqual(new Error('x'))
      expect(filterLogs(app.logs)).toEqual([])
    } finally {
      await app.close()
    }
  })

  it('as an APP_FILTER useClass, with the default options', async () => {
    const app = await startNest(platform, {
      routes,
      providers: [{ provide: APP_FILTER, useClass: ErrorshapeFilter }],
    })
    try {
      const missing = await app.client.send({ path: '/missing' })
      expect(missing.status).toBe(404)
      expect(missing.headers['content-type']).toBe('application/problem+json')
      const boom = await app.client.send({ path: '/boom' })
      expect(boom.status).toBe(500)
      expect(boom.headers['x-custom']).toBe('handler')
      expect(filterLogs(app.logs)).toHaveLength(1)
    } finally {
      await app.close()
    }
  })
})

describe('ErrorshapeFilter outside HTTP', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it.each(['rpc', 'ws'])('returns nothing in a %s context: Nest answers in its own way', (type) => {
    const host = new ExecutionContextHost([{ pattern: 'sum' }, {}])
    host.setType(type)
    // What Nest's RPC exceptions handler reads: undefined means "not handled by the filter".
    // eslint-disable-next-line @typescript-eslint/no-confusing-void-expression
    expect(new ErrorshapeFilter().catch(new Error('x'), host)).toBeUndefined()
  })

  it("leaves a GraphQL error to Nest's external exceptions handler, which throws it on", () => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined)
    const filter = new ErrorshapeFilter()
    const handler = new ExternalExceptionsHandler()
    handler.setCustomFilters([{ func: filter.catch.bind(filter), exceptionMetatypes: [] }])
    const host = new ExecutionContextHost([{}, {}, {}, {}])
    host.setType('graphql')
    const error = new Error('resolver failed')
    expect(() => handler.next(error, host)).toThrow(error)
  })
})

describe('ErrorshapeFilter options', () => {
  it.each([
    [{ onError: 'log' }, 'errorshape: option onError must be a function or false'],
    [{ validationStatus: 418 }, 'errorshape: option validationStatus must be 400 or 422'],
    [{ formats: [] }, 'errorshape: option formats must be'],
  ])('are checked when the filter is made (%j)', (options, message) => {
    expect(() => new ErrorshapeFilter(options as ErrorshapeFilterOptions)).toThrow(
      expect.objectContaining({ name: 'TypeError', message: expect.stringContaining(message) }),
    )
  })
})
