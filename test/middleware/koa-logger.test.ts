/**
 * Where koa-logger goes. Registered BEFORE errorshape it sees the answered error like any
 * response and logs the status the client gets. Registered after it, it sees the thrown value
 * on its way up and logs `err.status || 500`: a thrown value errorshape gives a status of its
 * own (here a ZodError, a 422) is logged as a 500. Its output is captured with its
 * `transporter` option. Koa 3 (`koa`) and Koa 2 (`koa2`); each app listens on 127.0.0.1 (an
 * ephemeral port), is asked with fetch and closed after the test.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Koa from 'koa'
import Koa2 from 'koa2'
import logger from 'koa-logger'
import { closedAfterEach } from './fields.js'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { errorHandler, type KoaOptions } from '../../adapters/koa.js'
import { Forbidden } from '../../src/index.js'

const QUIET: KoaOptions = { onError: false, onWarning: false }

const MAJORS = [
  ['Koa 3 (koa)', Koa],
  ['Koa 2 (koa2)', Koa2],
] as const

/** One line koa-logger wrote once the request was done: its arrow and the status it logged. */
interface LoggedEnd {
  /** `-->` for an answered response, `xxx` for an error that went past it. */
  readonly arrow: '-->' | 'xxx' | '-x-'
  readonly status: unknown
}

/**
 * A koa-logger that records its end-of-request lines (`<--` lines are left out); `ended`
 * resolves on the first one: koa-logger writes an answered response's line when it finishes.
 */
function recordingLogger() {
  const ends: LoggedEnd[] = []
  let resolveEnded: () => void = () => undefined
  const ended = new Promise<void>((resolve) => {
    resolveEnded = resolve
  })
  const middleware = logger({
    // koa-logger hands its format string and the arguments: method, url, status, time, length.
    transporter: (_line: string, args: unknown[]) => {
      const format = String(args[0])
      const arrow = (['-->', 'xxx', '-x-'] as const).find((mark) => format.includes(mark))
      if (arrow === undefined) return
      ends.push({ arrow, status: args[3] })
      resolveEnded()
    },
  })
  return { middleware, ends, ended }
}

const User = z.object({ age: z.number().int().positive() })

const servers = closedAfterEach()

describe.each(MAJORS)('%s', (_major, KoaClass) => {
  /** koa-logger before or after errorshape; the route validates with zod's parse. */
  async function serve(placement: 'before' | 'after') {
    const log = recordingLogger()
    const app = new KoaClass()
    if (placement === 'before') app.use(log.middleware)
    app.use(errorHandler(QUIET))
    if (placement === 'after') app.use(log.middleware)
    app.use((ctx) => {
      if (ctx.path === '/admin') throw new Forbidden('Admins only')
      User.parse({ age: -1 }) // throws a ZodError: errorshape answers it with a 422
    })
    const callback = app.callback()
    // Koa's callback returns a promise that never rejects: it handles its own errors.
    const running = createServer((req, res) => {
      void callback(req, res)
    })
    servers.add(running)
    await new Promise<void>((resolve) => running.listen(0, '127.0.0.1', resolve))
    return { base: `http://127.0.0.1:${(running.address() as AddressInfo).port}`, log }
  }

  it('before errorshape, logs the 422 the client gets for a ZodError', async () => {
    const { base, log } = await serve('before')
    const failed = await fetch(`${base}/users`, { method: 'POST' })
    expect(failed.status).toBe(422)
    expect(await failed.json()).toMatchObject({ status: 422, errors: [{ pointer: '#/age' }] })
    await log.ended
    expect(log.ends).toEqual([{ arrow: '-->', status: 422 }])
  })

  it('after errorshape, logs a 500 for the same ZodError while the client gets a 422', async () => {
    const { base, log } = await serve('after')
    const failed = await fetch(`${base}/users`, { method: 'POST' })
    expect(failed.status).toBe(422)
    await log.ended
    expect(log.ends).toEqual([{ arrow: 'xxx', status: 500 }])
  })

  it('after errorshape, gets the status right only for errors that carry one', async () => {
    const { base, log } = await serve('after')
    const failed = await fetch(`${base}/admin`)
    expect(failed.status).toBe(403)
    await log.ended
    expect(log.ends).toEqual([{ arrow: 'xxx', status: 403 }])
  })
})
