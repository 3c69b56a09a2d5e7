import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { errorHandler } from '../adapters/express.js'
import {
  createError,
  createFormatter,
  InternalServerError,
  NotFound,
  TooManyRequests,
  UnprocessableContent,
} from '../src/index.js'

const format = createFormatter({ onWarning: false })
const get = { method: 'GET', url: '/x', headers: { accept: 'application/json' } }
const json = (error: unknown, options = {}) => {
  const shaped = createFormatter({ onWarning: false, ...options })(error, get)
  return JSON.parse(shaped.body ?? '{}') as Record<string, unknown>
}

describe('structured data follows the message', () => {
  const data = { code: 'E_SECRET', errors: [{ detail: 'secret' }], extensions: { secretNote: 'y' } }

  it('a 4xx with expose: false shows the title only', () => {
    const body = json(new NotFound('hidden', { expose: false, ...data }))
    expect(Object.keys(body)).toEqual(['type', 'title', 'status', 'instance'])
  })

  it('a 5xx sends no errors, code or extensions without debug', () => {
    const body = json(new InternalServerError('db', data))
    expect(body).not.toHaveProperty('errors')
    expect(body).not.toHaveProperty('code')
    expect(body).not.toHaveProperty('secretNote')
  })

  it('expose: true or debug shows them', () => {
    expect(json(new InternalServerError('db', { expose: true, ...data }))).toMatchObject({
      code: 'E_SECRET',
      secretNote: 'y',
    })
    expect(json(new InternalServerError('db', data), { debug: true })).toHaveProperty('errors')
    expect(json(new UnprocessableContent(data))).toMatchObject({ errors: [{ detail: 'secret' }] })
  })
})

describe('responses a cache must not store (RFC 6585)', () => {
  it.each([428, 429, 431, 511])(
    '%s is no-store whatever cacheControl or the error say',
    (status) => {
      const shaped = createFormatter({ cacheControl: 'public, max-age=600' })(
        createError(status, { headers: { 'Cache-Control': 'max-age=60' } }),
        get,
      )
      expect(shaped.headers['cache-control']).toBe('no-store')
    },
  )

  it('other statuses take the option', () => {
    const shaped = createFormatter({ cacheControl: 'private, max-age=5' })(new NotFound(), get)
    expect(shaped.headers['cache-control']).toBe('private, max-age=5')
  })

  it('an empty cacheControl is a TypeError naming it', () => {
    expect(() => createFormatter({ cacheControl: ' ' })).toThrow(/cacheControl/)
  })
})

describe('header fields an error cannot set', () => {
  it('leaves out representation fields that would misdescribe the body', () => {
    const shaped = format(
      createError(400, 'x', {
        headers: { 'Content-Encoding': 'gzip', 'Content-Disposition': 'attachment', 'X-Ok': '1' },
      }),
      get,
    )
    expect(shaped.headers).not.toHaveProperty('content-encoding')
    expect(shaped.headers).not.toHaveProperty('content-disposition')
    expect(shaped.headers['x-ok']).toBe('1')
  })

  it('keeps Content-Range for 416 only, and Connection for 426 only', () => {
    const headers = { 'Content-Range': 'bytes */10', Connection: 'close' }
    expect(format(createError(400, { headers }), get).headers).not.toHaveProperty('content-range')
    expect(format(createError(400, { headers }), get).headers).not.toHaveProperty('connection')
    expect(format(createError(416, { size: 10 }), get).headers['content-range']).toBe('bytes */10')
    expect(format(createError(426, { upgrade: 'TLS/1.3' }), get).headers.connection).toBe('upgrade')
  })

  it('sends a singleton field once, the last value winning', () => {
    const shaped = format(
      new TooManyRequests({ headers: { 'Retry-After': '5', 'retry-after': '6' } }),
      get,
    )
    expect(shaped.headers['retry-after']).toBe('6')
  })
})

describe('type and instance are URI references', () => {
  it('an invalid own type falls back to the default', () => {
    expect(json(new NotFound({ type: 'not a uri <x>\u0000' })).type).toBe('about:blank')
    expect(json(new NotFound({ type: 'https://e.example/p' })).type).toBe('https://e.example/p')
  })

  it('a request path starting with // stays a path on this host', () => {
    const shaped = format(new NotFound(), { ...get, url: '//evil.example/x' })
    expect(JSON.parse(shaped.body ?? '{}')).toMatchObject({ instance: '/evil.example/x' })
  })
})

describe('a 304 keeps the validators the handler set (RFC 9110 §15.4.5)', () => {
  it('ETag and Cache-Control survive, other fields do not', async () => {
    const app = express()
    app.get('/c', (_req, res) => {
      res.setHeader('ETag', '"v1"')
      res.setHeader('Cache-Control', 'max-age=60')
      res.setHeader('Content-Disposition', 'attachment')
      throw createError(304)
    })
    app.use(errorHandler({ onError: false }))
    const res = await request(app).get('/c').expect(304)
    expect(res.headers.etag).toBe('"v1"')
    expect(res.headers['cache-control']).toBe('max-age=60')
    expect(res.headers).not.toHaveProperty('content-disposition')
  })
})
