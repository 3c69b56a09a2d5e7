/**
 * express.static (serve-static, send) on Express 5 (`express`) and Express 4 (`express4`):
 * a missing file falls through to notFound(); a Range past the end of a file is a 416 that
 * serve-static passes to next() (an http-errors error with `headers: { 'Content-Range' }`), which
 * errorHandler() shapes with `Content-Range: bytes *\/size` kept and the file's own fields gone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import express, { type Express } from 'express'
import express4 from 'express4'
import request from 'supertest'
import { afterAll, describe, expect, it } from 'vitest'
import { errorHandler, notFound } from '../../adapters/express.js'
import { expectDate } from './fields.js'

const MAJORS = [
  ['Express 5 (express)', express],
  ['Express 4 (express4)', express4],
] as const

const root = mkdtempSync(join(tmpdir(), 'errorshape-static-'))
const CONTENT = 'x'.repeat(100)
writeFileSync(join(root, 'hello.txt'), CONTENT)

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe.each(MAJORS)('%s with express.static', (_major, createApp) => {
  function withStatic(fallthrough: boolean): Express {
    const app = createApp()
    app.use('/assets', createApp.static(root, { fallthrough }))
    app.use(notFound())
    app.use(errorHandler({ onError: false, onWarning: false }))
    return app
  }

  describe('fallthrough: true (the default)', () => {
    it('serves a file that is there, and a Range within it', async () => {
      await request(withStatic(true)).get('/assets/hello.txt').expect(200, CONTENT)
      const part = await request(withStatic(true))
        .get('/assets/hello.txt')
        .set('range', 'bytes=0-9')
        .expect(206)
      expect(part.headers['content-range']).toBe('bytes 0-9/100')
    })

    it('hands a missing file on to notFound(): our 404', async () => {
      const failed = await request(withStatic(true)).get('/assets/missing.txt').expect(404)
      expect(failed.headers['content-type']).toBe('application/problem+json')
      expect(failed.body).toEqual({
        type: 'about:blank',
        title: 'Not Found',
        status: 404,
        instance: '/assets/missing.txt',
      })
      expectDate(failed.headers.date)
    })

    it('answers a Range past the end with 416 and Content-Range: bytes */100, shaped', async () => {
      const failed = await request(withStatic(true))
        .get('/assets/hello.txt')
        .set('range', 'bytes=500-600')
        .expect(416)
      expect(failed.headers['content-range']).toBe('bytes */100')
      expect(failed.headers['content-type']).toBe('application/problem+json')
      expect(failed.body).toMatchObject({ status: 416, title: 'Range Not Satisfiable' })
      // send set these for the file; they describe a representation the 416 is not.
      for (const name of ['etag', 'last-modified', 'accept-ranges']) {
        expect(failed.headers[name], name).toBeUndefined()
      }
      expectDate(failed.headers.date)
    })
  })

  describe('fallthrough: false', () => {
    it("shapes send's own 404 for a missing file", async () => {
      const failed = await request(withStatic(false)).get('/assets/missing.txt').expect(404)
      expect(failed.headers['content-type']).toBe('application/problem+json')
      expect(failed.body).toMatchObject({ status: 404, instance: '/assets/missing.txt' })
    })

    it('answers a Range past the end with the same shaped 416', async () => {
      const failed = await request(withStatic(false))
        .get('/assets/hello.txt')
        .set('range', 'bytes=500-600')
        .expect(416)
      expect(failed.headers['content-range']).toBe('bytes */100')
      expect(failed.body).toMatchObject({ status: 416 })
    })

    // A limit of serve-static, not errorshape's: it ends the response itself.
    it('leaves a POST to serve-static, which sends its own bodiless 405 and never calls next', async () => {
      const refused = await request(withStatic(false)).post('/assets/hello.txt').expect(405)
      expect(refused.headers.allow).toBe('GET, HEAD')
      expect(refused.headers['content-type']).toBeUndefined()
      expect(refused.text).toBe('')
    })
  })
})
