/**
 * The body parsers of Koa, registered after errorshape: koa-body (co-body, and formidable for
 * multipart) and @koa/bodyparser (co-body). What they throw for a malformed body, one over
 * their limit and a file over formidable's maxFileSize is shaped with the status they mean.
 * Koa 3; each app listens on 127.0.0.1 (an ephemeral port), is asked with fetch and closed
 * after the test.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { bodyParser } from '@koa/bodyparser'
import Koa, { type Middleware } from 'koa'
import { koaBody } from 'koa-body'
import { describe, expect, it } from 'vitest'
import { errorHandler, type KoaOptions } from '../../adapters/koa.js'
import { closedAfterEach, expectDate } from './fields.js'

const QUIET: KoaOptions = { onError: false, onWarning: false }

/** A JSON text cut short, and a marker that must not come back in the answer. */
const MALFORMED = '{"name": "secret-token-4711", '

const servers = closedAfterEach()

/** errorshape first, then `parser`, then a route that echoes the parsed body. */
async function serve(parser: Middleware): Promise<string> {
  const app = new Koa()
  app.use(errorHandler(QUIET))
  app.use(parser)
  app.use((ctx) => {
    ctx.body = { received: ctx.request.body ?? null }
  })
  const callback = app.callback()
  // Koa's callback returns a promise that never rejects: it handles its own errors.
  const running = createServer((req, res) => {
    void callback(req, res)
  })
  servers.add(running)
  await new Promise<void>((resolve) => running.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(running.address() as AddressInfo).port}`
}

function postJson(base: string, body: string): Promise<Response> {
  return fetch(`${base}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  })
}

const PARSERS = [
  ['koa-body', () => koaBody({ jsonLimit: '1kb' })],
  ['@koa/bodyparser', () => bodyParser({ jsonLimit: '1kb' })],
] as const

describe.each(PARSERS)('%s', (_name, makeParser) => {
  it('lets a well-formed body through', async () => {
    const base = await serve(makeParser())
    const ok = await postJson(base, '{"name":"Ada"}')
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ received: { name: 'Ada' } })
  })

  it('shapes the 400 of malformed JSON, without echoing the body it could not parse', async () => {
    const base = await serve(makeParser())
    const failed = await postJson(base, MALFORMED)
    expect(failed.status).toBe(400)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    const text = await failed.text()
    expect(JSON.parse(text)).toMatchObject({
      type: 'about:blank',
      title: 'Bad Request',
      status: 400,
      // The parser's own message (V8's JSON.parse), which says what is wrong.
      detail: expect.stringMatching(/JSON/),
      instance: '/users',
    })
    // co-body keeps the raw text on the error (err.body): it must not reach the client.
    expect(text).not.toContain('secret-token-4711')
    expectDate(failed.headers.get('date'))
  })

  it('shapes the 413 of a body over jsonLimit', async () => {
    const base = await serve(makeParser())
    const failed = await postJson(base, JSON.stringify({ name: 'x'.repeat(2048) }))
    expect(failed.status).toBe(413)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toMatchObject({ title: 'Content Too Large', status: 413 })
    expectDate(failed.headers.get('date'))
  })
})

describe('koa-body multipart (formidable)', () => {
  /** Multipart with a 1 KB file limit; files are discarded instead of written to disk. */
  const multipart = () =>
    koaBody({
      multipart: true,
      formidable: {
        maxFileSize: 1024,
        fileWriteStreamHandler: () =>
          new Writable({
            write(_chunk, _encoding, callback) {
              callback()
            },
          }),
      },
    })

  function upload(base: string, bytes: number): Promise<Response> {
    const form = new FormData()
    form.append('title', 'report')
    form.append('file', new Blob([new Uint8Array(bytes)]), 'report.bin')
    return fetch(`${base}/uploads`, { method: 'POST', body: form })
  }

  it('lets a file under maxFileSize through', async () => {
    const base = await serve(multipart())
    const ok = await upload(base, 512)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ received: { title: 'report' } })
  })

  it("shapes formidable's error for a file over maxFileSize as a 413 (its httpCode)", async () => {
    const base = await serve(multipart())
    const failed = await upload(base, 4096)
    expect(failed.status).toBe(413)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toMatchObject({
      title: 'Content Too Large',
      status: 413,
      // formidable's message, which names the limit.
      detail: expect.stringContaining('(1024 bytes) exceeded'),
      instance: '/uploads',
    })
    expectDate(failed.headers.get('date'))
  })
})
