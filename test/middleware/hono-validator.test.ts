/**
 * @hono/zod-validator with errorshape. Without a hook, zValidator answers a failure itself: a
 * 400 `application/json` of zod's result, which errorshape never sees. With a hook that throws
 * `validationError(result.error)` the failure is a shaped 422 with one `errors` item per issue;
 * a body that is not JSON is Hono's own HTTPException 400, shaped. Each app runs on
 * @hono/node-server on 127.0.0.1 (an ephemeral port), is asked with fetch and closed after the
 * test.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { zValidator } from '@hono/zod-validator'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { catchAll, errorHandler, notFound, type HonoOptions } from '../../adapters/hono.js'
import { validationError } from '../../src/index.js'
import { closedAfterEach, expectDate } from './fields.js'

const QUIET: HonoOptions = { onError: false, onWarning: false }

const User = z.object({ name: z.string().min(1), age: z.number().int().positive() })
const Page = z.object({ page: z.coerce.number().int().min(1) })

const servers = closedAfterEach()

/**
 * POST /users validated by zValidator with the errorshape hook; POST /plain without a hook;
 * GET /users with the query validated, its pointers under `#/query`.
 */
function build(): Hono {
  const app = new Hono()
  app.use(catchAll(QUIET))
  app.post(
    '/users',
    zValidator('json', User, (result) => {
      if (!result.success) throw validationError(result.error)
    }),
    (c) => c.json(c.req.valid('json'), 201),
  )
  app.post('/plain', zValidator('json', User), (c) => c.json(c.req.valid('json'), 201))
  app.get(
    '/users',
    zValidator('query', Page, (result) => {
      if (!result.success) throw validationError(result.error, { pointerPrefix: '#/query' })
    }),
    (c) => c.json({ page: c.req.valid('query').page }),
  )
  app.onError(errorHandler(QUIET))
  app.notFound(notFound(QUIET))
  return app
}

async function start(): Promise<string> {
  const running = serve({ fetch: build().fetch, port: 0, hostname: '127.0.0.1' }) as Server
  servers.add(running)
  if (!running.listening) await new Promise((resolve) => running.once('listening', resolve))
  return `http://127.0.0.1:${(running.address() as AddressInfo).port}`
}

function postJson(base: string, path: string, body: string): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  })
}

describe('@hono/zod-validator', () => {
  it('with the hook, answers an invalid body with a shaped 422, one errors item per issue', async () => {
    const base = await start()
    const failed = await postJson(base, '/users', '{"name":"","age":-1}')
    expect(failed.status).toBe(422)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toEqual({
      type: 'about:blank',
      title: 'Unprocessable Content',
      status: 422,
      instance: '/users',
      errors: [
        { detail: expect.any(String), pointer: '#/name' },
        { detail: expect.any(String), pointer: '#/age' },
      ],
    })
    expectDate(failed.headers.get('date'))
  })

  it('with the hook, lets a valid body through', async () => {
    const base = await start()
    const ok = await postJson(base, '/users', '{"name":"Ada","age":36}')
    expect(ok.status).toBe(201)
    expect(await ok.json()).toEqual({ name: 'Ada', age: 36 })
  })

  it('with the hook and pointerPrefix, points into the query', async () => {
    const base = await start()
    const failed = await fetch(`${base}/users?page=0`)
    expect(failed.status).toBe(422)
    expect(await failed.json()).toMatchObject({
      errors: [{ detail: expect.any(String), pointer: '#/query/page' }],
    })
  })

  it("without a hook, answers by itself: zod's result as a 400 application/json, not shaped", async () => {
    const base = await start()
    const failed = await postJson(base, '/plain', '{"name":"","age":-1}')
    expect(failed.status).toBe(400)
    expect(failed.headers.get('content-type')).toMatch(/^application\/json/)
    expect(await failed.json()).toMatchObject({ success: false, error: { name: 'ZodError' } })
  })

  it("shapes Hono's own 400 for a body that is not JSON, before the schema runs", async () => {
    const base = await start()
    const failed = await postJson(base, '/users', '{"name": ')
    expect(failed.status).toBe(400)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toMatchObject({
      title: 'Bad Request',
      status: 400,
      detail: 'Malformed JSON in request body',
    })
  })
})
