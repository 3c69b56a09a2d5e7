/**
 * @fastify/sensible with errorshape: its reply helpers (`reply.notFound()`,
 * `reply.badRequest()`, `reply.getHttpError()`), its `httpErrors.*` and
 * `httpErrors.createError`, and `fastify.assert` all make http-errors errors, which errorshape
 * shapes with their status and (below 500) their message. The app listens on 127.0.0.1 (an
 * ephemeral port), is asked with fetch and closed after each test.
 */
import type { AddressInfo } from 'node:net'
import sensible from '@fastify/sensible'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorHandler } from '../../adapters/fastify.js'
import { expectDate } from './fields.js'

let app: FastifyInstance
let base: string

/** Routes failing each way @fastify/sensible offers. */
function addRoutes(root: FastifyInstance): void {
  root.get('/users/:id', (_request, reply) => reply.notFound('No user 42'))
  root.post('/users', (_request, reply) => reply.badRequest())
  root.get('/search', (_request, reply) => reply.getHttpError(429, 'One search a minute'))
  root.delete('/items/:id', () => {
    throw root.httpErrors.conflict('Item 7 is in use by order 12')
  })
  root.get('/maintenance', () => {
    throw root.httpErrors.createError(503, 'Database failover at db-2.internal', {
      headers: { 'Retry-After': '120' },
    })
  })
  root.get('/admin', (request) => {
    root.assert(request.headers['x-role'] === 'admin', 403, 'Admins only')
    return 'welcome'
  })
  root.get('/crash', () => {
    throw root.httpErrors.internalServerError('password=hunter2 rejected by db')
  })
}

beforeAll(async () => {
  app = Fastify()
  await app.register(sensible)
  await app.register(errorHandler, { onError: false, onWarning: false })
  addRoutes(app)
  await app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await app.close()
})

async function problemOf(response: Response): Promise<unknown> {
  expect(response.headers.get('content-type')).toBe('application/problem+json')
  expectDate(response.headers.get('date'))
  return response.json()
}

describe('@fastify/sensible', () => {
  it('reply.notFound(message) → a shaped 404 with that detail', async () => {
    const failed = await fetch(`${base}/users/42`)
    expect(failed.status).toBe(404)
    expect(await problemOf(failed)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No user 42',
      instance: '/users/42',
    })
  })

  it('reply.badRequest() → a shaped 400 with no detail (its message is only the phrase)', async () => {
    const failed = await fetch(`${base}/users`, { method: 'POST' })
    expect(failed.status).toBe(400)
    expect(await problemOf(failed)).toEqual({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      instance: '/users',
    })
  })

  it('reply.getHttpError(429, message) → a shaped 429, not to be stored', async () => {
    const failed = await fetch(`${base}/search`)
    expect(failed.status).toBe(429)
    expect(failed.headers.get('cache-control')).toBe('no-store')
    expect(await problemOf(failed)).toMatchObject({ status: 429, detail: 'One search a minute' })
  })

  it('throw fastify.httpErrors.conflict(message) → a shaped 409', async () => {
    const failed = await fetch(`${base}/items/7`, { method: 'DELETE' })
    expect(failed.status).toBe(409)
    expect(await problemOf(failed)).toMatchObject({
      title: 'Conflict',
      status: 409,
      detail: 'Item 7 is in use by order 12',
    })
  })

  it('fastify.httpErrors.createError(503, message, { headers }) keeps Retry-After and hides the 5xx message', async () => {
    const failed = await fetch(`${base}/maintenance`)
    expect(failed.status).toBe(503)
    expect(failed.headers.get('retry-after')).toBe('120')
    const text = await failed.text()
    expect(JSON.parse(text)).toEqual({
      type: 'about:blank',
      title: 'Service Unavailable',
      status: 503,
      instance: '/maintenance',
    })
    expect(text).not.toContain('db-2.internal')
  })

  it('fastify.assert(condition, 403, message) → a shaped 403; the route answers when it holds', async () => {
    const failed = await fetch(`${base}/admin`)
    expect(failed.status).toBe(403)
    expect(await problemOf(failed)).toMatchObject({ status: 403, detail: 'Admins only' })
    const ok = await fetch(`${base}/admin`, { headers: { 'x-role': 'admin' } })
    expect(ok.status).toBe(200)
    expect(await ok.text()).toBe('welcome')
  })

  it('httpErrors.internalServerError(message) → a 500 that does not show the message', async () => {
    const failed = await fetch(`${base}/crash`)
    expect(failed.status).toBe(500)
    const text = await failed.text()
    expect(JSON.parse(text)).toMatchObject({ status: 500, title: 'Internal Server Error' })
    expect(text).not.toContain('hunter2')
  })
})
