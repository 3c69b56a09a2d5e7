/**
 * compression on Express 5 (`express`) and Express 4 (`express4`), registered first: an error
 * body over its threshold goes out gzipped with Content-Encoding and Vary: Accept-Encoding
 * next to errorshape's Vary; a smaller one, or one to a client that takes no gzip, as is.
 * Read off the socket as sent (getRaw): supertest would gunzip it.
 */
import { gunzipSync } from 'node:zlib'
import compression from 'compression'
import express, { type Express } from 'express'
import express4 from 'express4'
import { describe, expect, it } from 'vitest'
import { errorHandler, notFound } from '../../adapters/express.js'
import { UnprocessableContent } from '../../src/index.js'
import { expectDate, expectVary, getRaw } from './fields.js'

const MAJORS = [
  ['Express 5 (express)', express],
  ['Express 4 (express4)', express4],
] as const

/** 60 items: the problem document is well over compression's 1 kB threshold. */
const ERRORS = Array.from({ length: 60 }, (_, index) => ({
  detail: 'must be a positive integer',
  pointer: `#/items/${index}/quantity`,
}))

describe.each(MAJORS)('%s with compression', (_major, createApp) => {
  function withCompression(): Express {
    const app = createApp()
    app.use(compression())
    app.get('/orders', () => {
      throw new UnprocessableContent({ errors: ERRORS })
    })
    app.use(notFound())
    app.use(errorHandler({ onError: false, onWarning: false }))
    return app
  }

  it('gzips a large error body: Content-Encoding: gzip, no Content-Length, Vary merged', async () => {
    const raw = await getRaw(withCompression(), '/orders', { 'accept-encoding': 'gzip' })
    expect(raw.status).toBe(422)
    expect(raw.headers['content-encoding']).toBe('gzip')
    expect(raw.headers['content-length']).toBeUndefined()
    expect(raw.headers['content-type']).toBe('application/problem+json')
    expectVary(raw.headers.vary, 'Accept-Encoding')
    const problem = JSON.parse(gunzipSync(raw.body).toString('utf8')) as { errors: unknown[] }
    expect(problem).toMatchObject({ status: 422, title: 'Unprocessable Content' })
    expect(problem.errors).toEqual(ERRORS)
    expectDate(raw.headers.date)
  })

  it('sends the same body as is to a client that takes no gzip', async () => {
    const raw = await getRaw(withCompression(), '/orders', { 'accept-encoding': 'identity' })
    expect(raw.status).toBe(422)
    expect(raw.headers['content-encoding']).toBeUndefined()
    expect(JSON.parse(raw.body.toString('utf8'))).toMatchObject({ errors: ERRORS })
    expectVary(raw.headers.vary, 'Accept-Encoding')
  })

  it('leaves an error body under the threshold uncompressed, its Content-Length right', async () => {
    const raw = await getRaw(withCompression(), '/nowhere', { 'accept-encoding': 'gzip' })
    expect(raw.status).toBe(404)
    expect(raw.headers['content-encoding']).toBeUndefined()
    expect(Number(raw.headers['content-length'])).toBe(raw.body.length)
    expect(JSON.parse(raw.body.toString('utf8'))).toMatchObject({ status: 404 })
    expectVary(raw.headers.vary, 'Accept-Encoding')
  })
})
