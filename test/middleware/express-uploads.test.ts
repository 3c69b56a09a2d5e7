/**
 * multer on Express 5 (`express`) and Express 4 (`express4`): the MulterError of a refused
 * upload, and busboy's error for a multipart body it cannot parse, are answered by
 * errorHandler() with the client's status, not a 500.
 */
import express, { type Express } from 'express'
import express4 from 'express4'
import multer from 'multer'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { errorHandler, notFound } from '../../adapters/express.js'
import { expectDate } from './fields.js'

const MAJORS = [
  ['Express 5 (express)', express],
  ['Express 4 (express4)', express4],
] as const

describe.each(MAJORS)('%s with multer', (_major, createApp) => {
  function withUpload(): Express {
    const app = createApp()
    const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 16 } })
    app.post('/avatar', upload.single('avatar'), (req, res) => {
      res.json({ size: req.file?.size })
    })
    app.use(notFound())
    app.use(errorHandler({ onError: false, onWarning: false }))
    return app
  }

  it('lets a file within the limits through', async () => {
    const ok = await request(withUpload())
      .post('/avatar')
      .attach('avatar', Buffer.alloc(16, 1), 'small.png')
      .expect(200)
    expect(ok.body).toEqual({ size: 16 })
  })

  it('answers a file over limits.fileSize (LIMIT_FILE_SIZE) with 413 Content Too Large', async () => {
    const failed = await request(withUpload())
      .post('/avatar')
      .attach('avatar', Buffer.alloc(64, 1), 'big.png')
      .expect(413)
    expect(failed.headers['content-type']).toBe('application/problem+json')
    expect(failed.body).toMatchObject({ status: 413, title: 'Content Too Large' })
    expect(failed.body.detail).toBe('File too large: "avatar"')
    expectDate(failed.headers.date)
  })

  it('answers a file in a field it does not expect (LIMIT_UNEXPECTED_FILE) with 400', async () => {
    const failed = await request(withUpload())
      .post('/avatar')
      .attach('photo', Buffer.alloc(8, 1), 'photo.png')
      .expect(400)
    expect(failed.body).toMatchObject({ status: 400, title: 'Bad Request' })
    expect(failed.body.detail).toContain('Unexpected file field')
    expect(failed.body.detail).toContain('photo')
  })

  it('answers multipart/form-data without a boundary with 400', async () => {
    const failed = await request(withUpload())
      .post('/avatar')
      .set('content-type', 'multipart/form-data')
      .send('avatar=1')
      .expect(400)
    expect(failed.headers['content-type']).toBe('application/problem+json')
    expect(failed.body).toMatchObject({ status: 400, detail: 'Multipart: Boundary not found' })
  })
})
