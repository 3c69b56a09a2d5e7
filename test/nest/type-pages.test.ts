/**
 * Problem type pages in a Nest app, on both platforms: errorshape/express's
 * `problemTypePages()` given to `app.use` (on Fastify through @fastify/middie, Nest's own
 * middleware support), beside ErrorshapeFilter, whose 404 names a type that is a page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { problemTypePages } from '../../adapters/express.js'
import { ErrorshapeFilter } from '../../adapters/nest.js'
import { json } from '../matrix/expectations.js'
import { PLATFORMS, startNest, type RunningNest } from './app.js'

const options = { typeBase: 'https://api.example.com/problems/' }

describe.each(PLATFORMS)("problem type pages on Nest's %s platform", (platform) => {
  let app: RunningNest
  beforeAll(async () => {
    app = await startNest(platform, {
      routes: [{ path: '/hello', handle: () => 'hello' }],
      middleware: { path: '/', handle: problemTypePages(options) as never },
      filter: () => new ErrorshapeFilter(options),
    })
  })
  afterAll(async () => {
    await app.close()
  })

  it('answers the type of its 404 with that type’s page', async () => {
    const missing = await app.client.send({ path: '/nothing' })
    expect(missing.status).toBe(404)
    const { type } = json(missing) as { type: string }
    expect(type).toBe(`${options.typeBase}not-found`)
    const page = await app.client.send({
      path: new URL(type).pathname,
      headers: { accept: 'text/plain', 'accept-language': 'zh-CN' },
    })
    expect(page.status).toBe(200)
    expect(page.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(page.headers['cache-control']).toBe('public, max-age=86400')
    expect(page.text).toMatch(/^404 未找到\n/)
    expect(Number(page.headers['content-length'])).toBe(page.body.length)
  })

  it('lets the routes answer everything else', async () => {
    expect(await app.client.send({ path: '/hello' })).toMatchObject({ status: 200, text: 'hello' })
  })
})
