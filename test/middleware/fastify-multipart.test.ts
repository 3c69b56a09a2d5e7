/**
 * @fastify/multipart with errorshape: a file over `limits.fileSize` (with
 * `throwFileSizeLimit`, its default) is its RequestFileTooLargeError, a 413; a request that is
 * not multipart is its InvalidMultipartContentTypeError, which it gives 406; a content type no
 * parser takes is Fastify's own 415. Each is shaped with the status the plugin (or Fastify)
 * gave it. The app listens on 127.0.0.1 (an ephemeral port), is asked with fetch and closed
 * after the tests.
 */
import type { AddressInfo } from 'node:net'
import multipart from '@fastify/multipart'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { errorHandler } from '../../adapters/fastify.js'
import { expectDate } from './fields.js'

/** The largest file a route takes, in bytes. */
const FILE_SIZE = 1024

let app: FastifyInstance
let base: string

beforeAll(async () => {
  app = Fastify()
  await app.register(errorHandler, { onError: false, onWarning: false })
  await app.register(multipart, { limits: { fileSize: FILE_SIZE }, throwFileSizeLimit: true })
  app.post('/uploads', async (request) => {
    const file = await request.file()
    if (file === undefined) return { size: 0 }
    return { name: file.filename, size: (await file.toBuffer()).length }
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await app.close()
})

function upload(bytes: number): Promise<Response> {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(bytes)]), 'report.bin')
  return fetch(`${base}/uploads`, { method: 'POST', body: form })
}

describe('@fastify/multipart', () => {
  it('takes a file within limits.fileSize', async () => {
    const ok = await upload(FILE_SIZE / 2)
    expect(ok.status).toBe(200)
    expect(await ok.json()).toEqual({ name: 'report.bin', size: FILE_SIZE / 2 })
  })

  it('shapes the 413 of a file over limits.fileSize', async () => {
    const failed = await upload(FILE_SIZE * 4)
    expect(failed.status).toBe(413)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toEqual({
      type: 'about:blank',
      title: 'Content Too Large',
      status: 413,
      detail: 'request file too large',
      instance: '/uploads',
    })
    expectDate(failed.headers.get('date'))
  })

  it('shapes the 406 it throws when request.file() is asked of a request that is not multipart', async () => {
    const failed = await fetch(`${base}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":"report"}',
    })
    expect(failed.status).toBe(406)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toMatchObject({
      title: 'Not Acceptable',
      status: 406,
      detail: 'the request is not multipart',
    })
  })

  it("shapes Fastify's own 415 for a content type no parser takes", async () => {
    const failed = await fetch(`${base}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: 'a,b\n1,2\n',
    })
    expect(failed.status).toBe(415)
    expect(failed.headers.get('content-type')).toBe('application/problem+json')
    expect(await failed.json()).toMatchObject({ title: 'Unsupported Media Type', status: 415 })
  })
})
