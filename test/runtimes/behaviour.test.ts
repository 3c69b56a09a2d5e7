/**
 * The shared behaviour spec, compact, on each runtime this issue adds: Fastify, Hono (through
 * @hono/node-server), plain node:http and the Fetch API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  createError,
  MethodNotAllowed,
  NotFound,
  ServiceUnavailable,
  Unauthorized,
} from '../../src/index.js'
import { newRuntimes, type RunningApp, type Throwers } from './servers.js'

const throwers: Throwers = {
  'not-found': () => new NotFound('No user 42'),
  method: () => new MethodNotAllowed({ allow: ['GET', 'POST'] }),
  auth: () => new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } }),
  busy: () => new ServiceUnavailable('Back soon', { retryAfter: 120 }),
  crash: () => new Error('secret database password'),
  invalid: () => z.object({ age: z.number() }).safeParse({ age: 'x' }).error,
  'no-content': () => createError(204),
  close: () => createError(444),
}

async function json(response: Response): Promise<Record<string, unknown>> {
  return JSON.parse(await response.text()) as Record<string, unknown>
}

describe.each(newRuntimes)('on $name', (runtime) => {
  let app: RunningApp
  beforeAll(async () => {
    app = await runtime.start(throwers)
  })
  afterAll(async () => {
    await app.close()
  })

  it('answers a thrown NotFound with a problem document whose instance is the path', async () => {
    const response = await app.request('/e/not-found?page=2')
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(await json(response)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No user 42',
      instance: '/e/not-found',
    })
  })

  it('sends the fields every error response carries, and an exact Content-Length', async () => {
    const response = await app.request('/e/not-found')
    const body = await response.text()
    expect(response.headers.get('vary')).toBe('Accept, Accept-Language')
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(response.headers.get('content-language')).toBe('en')
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)))
  })

  it.each([
    ['method', 405, 'allow', 'GET, HEAD, POST'],
    ['auth', 401, 'www-authenticate', 'Bearer realm="api"'],
    ['busy', 503, 'retry-after', '120'],
  ])('sends the field a %s error needs (%i → %s)', async (name, status, field, value) => {
    const response = await app.request(`/e/${name}`)
    expect(response.status).toBe(status)
    expect(response.headers.get(field)).toBe(value)
  })

  it('hides the message of a 5xx', async () => {
    const response = await app.request('/e/crash')
    const body = await response.text()
    expect(response.status).toBe(500)
    expect(body).not.toContain('secret')
    expect(JSON.parse(body)).not.toHaveProperty('detail')
  })

  it.each([
    ['text/html', 'text/html; charset=utf-8', '<!DOCTYPE html>'],
    ['text/plain', 'text/plain; charset=utf-8', '404 Not Found'],
    ['application/json', 'application/json', '{"type":"about:blank"'],
    ['application/problem+xml', 'application/problem+xml; charset=utf-8', '<?xml'],
  ])('answers "Accept: %s" with %s', async (accept, contentType, start) => {
    const response = await app.request('/e/not-found', { headers: { accept } })
    expect(response.headers.get('content-type')).toBe(contentType)
    expect((await response.text()).startsWith(start)).toBe(true)
  })

  it('localizes the title for "Accept-Language: zh-CN"', async () => {
    const response = await app.request('/e/not-found', { headers: { 'accept-language': 'zh-CN' } })
    expect(response.headers.get('content-language')).toBe('zh-CN')
    expect((await json(response)).title).toBe('未找到')
  })

  it('answers HEAD with the fields of GET and no body', async () => {
    const get = await app.request('/e/not-found')
    await get.text()
    const head = await app.request('/e/not-found', { method: 'HEAD' })
    expect(head.status).toBe(404)
    expect(await head.text()).toBe('')
    expect(head.headers.get('content-type')).toBe(get.headers.get('content-type'))
    // RFC 9110 §9.3.2: none, or the one GET would have sent.
    expect([null, get.headers.get('content-length')]).toContain(head.headers.get('content-length'))
  })

  it('answers an unmatched path with a 404 problem', async () => {
    const response = await app.request('/nowhere?x=1')
    expect(response.status).toBe(404)
    expect(await json(response)).toMatchObject({ status: 404, instance: '/nowhere' })
  })

  it('answers a thrown ZodError with a 422 listing each issue', async () => {
    const response = await app.request('/e/invalid')
    expect(response.status).toBe(422)
    expect((await json(response)).errors).toEqual([
      { detail: 'Invalid input: expected number, received string', pointer: '#/age' },
    ])
  })

  it('sends no body and no Content-Type with a 204', async () => {
    const response = await app.request('/e/no-content')
    expect(response.status).toBe(204)
    expect(response.headers.get('content-type')).toBeNull()
    expect(await response.text()).toBe('')
  })

  if (runtime.cutsConnection) {
    it('closes the connection without a response for a 444', async () => {
      await expect(app.request('/e/close')).rejects.toThrow(TypeError)
    })
  } else {
    it('answers a 444 with an empty response, since a Fetch handler cannot close', async () => {
      const response = await app.request('/e/close')
      expect(response.status).toBe(444)
      expect(response.headers.get('content-type')).toBeNull()
      expect(await response.text()).toBe('')
    })
  }
})
