/**
 * One tiny app, built on each runtime errorshape answers on: routes `/e/<name>` throw the
 * error the test names, every other path is unmatched. Real servers listen on an ephemeral
 * port and are asked with fetch; the Fetch adapter is called directly with a Request.
 */
import { createServer, type Server as NodeServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import express from 'express'
import Fastify from 'fastify'
import { Hono } from 'hono'
import Koa from 'koa'
import * as expressAdapter from '../../adapters/express.js'
import * as fastifyAdapter from '../../adapters/fastify.js'
import { toResponse } from '../../adapters/fetch.js'
import * as honoAdapter from '../../adapters/hono.js'
import * as koaAdapter from '../../adapters/koa.js'
import { sendError } from '../../adapters/node.js'
import { NotFound, type FormatterOptions } from '../../src/index.js'

/** What each route throws, by name; a fresh value per request. */
export type Throwers = Readonly<Record<string, () => unknown>>

export interface RunningApp {
  /** Sends a request to the app: a path such as `/e/not-found?x=1`. */
  request(path: string, init?: RequestInit): Promise<Response>
  close(): Promise<void>
}

export interface Runtime {
  readonly name: string
  /** Whether 444 and 499 cut the connection (else: an empty response with that status). */
  readonly cutsConnection: boolean
  start(throwers: Throwers, options?: FormatterOptions): Promise<RunningApp>
}

/** Quiet by default: no logging of 5xx, no warnings about missing headers. */
const QUIET = { onError: false, onWarning: false } as const

function nameOf(path: string): string | undefined {
  const match = /^\/e\/([^/?#]+)/.exec(path)
  return match?.[1]
}

/** Requests to, and closing of, a Node server that listens. */
function running(server: NodeServer): RunningApp {
  const { port } = server.address() as AddressInfo
  return {
    request: (path, init) => fetch(`http://127.0.0.1:${port}${path}`, init),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => {
          resolve()
        })
      }),
  }
}

async function listen(server: NodeServer): Promise<RunningApp> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return running(server)
}

const node: Runtime = {
  name: 'node:http',
  cutsConnection: true,
  start(throwers, options = {}) {
    const adapterOptions = { ...QUIET, ...options }
    return listen(
      createServer((req, res) => {
        const thrower = throwers[nameOf(req.url ?? '') ?? '']
        try {
          throw thrower === undefined ? new NotFound() : thrower()
        } catch (error) {
          sendError(req, res, error, adapterOptions)
        }
      }),
    )
  },
}

const fastify: Runtime = {
  name: 'fastify',
  cutsConnection: true,
  async start(throwers, options = {}) {
    const app = Fastify()
    await app.register(fastifyAdapter.errorHandler, { ...QUIET, ...options })
    app.get('/e/:name', (request) => {
      const thrower = throwers[(request.params as { name: string }).name]
      throw thrower === undefined ? new NotFound() : thrower()
    })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    return {
      request: (path, init) => fetch(`http://127.0.0.1:${port}${path}`, init),
      close: async () => {
        app.server.closeAllConnections()
        await app.close()
      },
    }
  },
}

const hono: Runtime = {
  name: 'hono (node-server)',
  cutsConnection: true,
  async start(throwers, options = {}) {
    const app = new Hono()
    app.onError(honoAdapter.errorHandler({ ...QUIET, ...options }))
    app.notFound(honoAdapter.notFound({ ...QUIET, ...options }))
    app.get('/e/:name', (c) => {
      const thrower = throwers[c.req.param('name')]
      throw thrower === undefined ? new NotFound() : thrower()
    })
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as NodeServer
    await new Promise<void>((resolve) => {
      if (server.listening) resolve()
      else
        server.once('listening', () => {
          resolve()
        })
    })
    return running(server)
  },
}

const fetchApi: Runtime = {
  name: 'fetch (toResponse)',
  cutsConnection: false,
  start(throwers, options = {}) {
    const adapterOptions = { ...QUIET, ...options }
    const handle = (request: Request): Response => {
      const thrower = throwers[nameOf(new URL(request.url).pathname) ?? '']
      try {
        throw thrower === undefined ? new NotFound() : thrower()
      } catch (error) {
        return toResponse(error, request, adapterOptions)
      }
    }
    return Promise.resolve({
      request: (path, init) =>
        Promise.resolve(handle(new Request(`http://app.example${path}`, init))),
      close: () => Promise.resolve(),
    })
  },
}

const expressRuntime: Runtime = {
  name: 'express',
  cutsConnection: true,
  start(throwers, options = {}) {
    const app = express()
    app.get('/e/:name', (req) => {
      const thrower = throwers[req.params.name ?? '']
      throw thrower === undefined ? new NotFound() : thrower()
    })
    app.use(expressAdapter.notFound())
    app.use(expressAdapter.errorHandler({ ...QUIET, ...options }))
    return listen(createServer(app))
  },
}

const koa: Runtime = {
  name: 'koa',
  cutsConnection: true,
  start(throwers, options = {}) {
    const app = new Koa()
    app.use(koaAdapter.errorHandler({ ...QUIET, ...options }))
    app.use((ctx) => {
      const name = nameOf(ctx.path)
      if (name === undefined) return
      const thrower = throwers[name]
      throw thrower === undefined ? new NotFound() : thrower()
    })
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- Koa's listener returns a promise Node ignores
    return listen(createServer(app.callback()))
  },
}

/** The runtimes this issue adds: the behaviour spec runs on each. */
export const newRuntimes: readonly Runtime[] = [fastify, hono, node, fetchApi]

/** Every server adapter, for the client round trip. */
export const allRuntimes: readonly Runtime[] = [expressRuntime, koa, fastify, hono, node, fetchApi]
