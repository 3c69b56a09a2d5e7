// `npm run soak`: a bounded soak over loopback. An Express app and a Koa app with errorshape
// answer a mix of thrown values (errorshape errors, http-errors, Boom, plain Errors, strings,
// 204, 304, HEAD, 444, redirects, an unread upload), in every format and both languages,
// through keep-alive agents. Every response is checked; the run fails (exit code 1) on any
// failed or malformed response, a socket left open, or heap growth past a fixed bound.
//
//   node bench/soak.js [requests]        default 200000 (or SOAK_REQUESTS)
//   SOAK_SECONDS=600                     stop issuing requests after this long (default 600)
//   SOAK_CONCURRENCY=64                  requests in flight per app (default 64)
import { Agent, createServer, request } from 'node:http'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import Boom from '@hapi/boom'
import express from 'express'
import createHttpError from 'http-errors'
import Koa from 'koa'
import {
  ContentTooLarge,
  createError,
  MethodNotAllowed,
  NotFound,
  ServiceUnavailable,
  Unauthorized,
  UnprocessableContent,
} from 'errorshape'
import { errorHandler as expressErrorHandler, notFound } from 'errorshape/express'
import { errorHandler as koaErrorHandler } from 'errorshape/koa'

const requested = Number(process.argv[2] ?? process.env.SOAK_REQUESTS ?? 200_000)
const seconds = Number(process.env.SOAK_SECONDS ?? 600)
const concurrency = Number(process.env.SOAK_CONCURRENCY ?? 64)
const SOCKETS = 16
/** Retained heap growth allowed between the warmed-up start and the end, after gc. */
const HEAP_LIMIT = 32 * 1024 * 1024
/** Requests before the first heap measurement (part of the total). */
const WARM_UP = Math.min(2_000, Math.ceil(requested / 10))
const REQUEST_TIMEOUT = 10_000

for (const [name, value] of [
  ['requests', requested],
  ['SOAK_SECONDS', seconds],
  ['SOAK_CONCURRENCY', concurrency],
]) {
  if (!Number.isSafeInteger(value) || value <= 0) {
    console.error(`soak: ${name} must be a positive integer (got ${value})`)
    process.exit(2)
  }
}

// gc() without a flag on the command line, so `node bench/soak.js` is enough.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc')

const JSON_TYPE = 'application/problem+json'
const HTML = 'text/html; charset=utf-8'
const TEXT = 'text/plain; charset=utf-8'
const XML = 'application/problem+xml; charset=utf-8'
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8'
const UPLOAD = Buffer.alloc(64 * 1024, 'u')

/**
 * The mix: what the route throws, what the client asks for, what must come back. `type`
 * undefined means no body; `closed` means the server cuts the connection (444).
 */
const scenarios = [
  {
    name: 'errorshape 404, JSON, en',
    thrown: () => new NotFound('No user 42'),
    accept: 'application/json',
    status: 404,
    type: 'application/json',
    lang: 'en',
  },
  {
    name: 'errorshape 404, HTML, zh-CN',
    thrown: () => new NotFound('没有这个用户'),
    accept: BROWSER,
    language: 'zh-CN,zh;q=0.9',
    status: 404,
    type: HTML,
    lang: 'zh-CN',
  },
  {
    name: '405 with Allow, text',
    thrown: () => new MethodNotAllowed({ allow: ['GET', 'POST'] }),
    accept: 'text/plain',
    status: 405,
    type: TEXT,
    lang: 'en',
    field: ['allow', 'GET, HEAD, POST'],
  },
  {
    name: '401 with a challenge, problem+json',
    thrown: () => new Unauthorized({ challenge: { scheme: 'Bearer', realm: 'api' } }),
    accept: JSON_TYPE,
    status: 401,
    type: JSON_TYPE,
    lang: 'en',
    field: ['www-authenticate', 'Bearer realm="api"'],
  },
  {
    name: '503 with Retry-After, XML, zh-CN',
    thrown: () => new ServiceUnavailable('Back soon', { retryAfter: 120 }),
    accept: 'application/problem+xml',
    language: 'zh-CN',
    status: 503,
    type: XML,
    lang: 'zh-CN',
    field: ['retry-after', '120'],
  },
  {
    name: '422 with errors and extensions',
    thrown: () =>
      new UnprocessableContent({
        errors: [{ detail: 'must be positive', pointer: '#/age' }],
        extensions: { requestId: Math.random().toString(36).slice(2) },
      }),
    accept: JSON_TYPE,
    status: 422,
    type: JSON_TYPE,
    lang: 'en',
  },
  {
    name: 'http-errors 403',
    thrown: () => createHttpError(403, 'Not yours'),
    accept: JSON_TYPE,
    status: 403,
    type: JSON_TYPE,
    lang: 'en',
  },
  {
    name: 'Boom 400',
    thrown: () => Boom.badRequest('bad input'),
    accept: BROWSER,
    status: 400,
    type: HTML,
    lang: 'en',
  },
  {
    name: 'Boom 500 (message hidden)',
    thrown: () => Boom.internal('secret'),
    accept: JSON_TYPE,
    status: 500,
    type: JSON_TYPE,
    lang: 'en',
    hidden: 'secret',
  },
  {
    name: 'plain Error (message hidden)',
    thrown: () => new Error('connection string: postgres://secret'),
    accept: '*/*',
    status: 500,
    type: JSON_TYPE,
    lang: 'en',
    hidden: 'secret',
  },
  {
    name: 'a thrown string',
    thrown: () => 'oops',
    accept: 'text/plain',
    language: 'zh-CN',
    status: 500,
    type: TEXT,
    lang: 'zh-CN',
  },
  {
    name: '204, no body',
    thrown: () => createError(204),
    accept: JSON_TYPE,
    status: 204,
  },
  {
    name: '304 with ETag, no body',
    thrown: () => createError(304, { headers: { ETag: '"v1"' } }),
    accept: BROWSER,
    status: 304,
    field: ['etag', '"v1"'],
  },
  {
    // Node's own client does not reuse a connection after a HEAD response without
    // Content-Length (curl does): these open new sockets, which the summary counts.
    name: 'HEAD 404, no body',
    method: 'HEAD',
    thrown: () => new NotFound(),
    accept: JSON_TYPE,
    status: 404,
  },
  {
    name: '302 with Location',
    thrown: () => createError(302, { location: '/elsewhere' }),
    accept: 'text/html',
    status: 302,
    type: HTML,
    lang: 'en',
    field: ['location', '/elsewhere'],
  },
  {
    name: '413 before the upload was read (keep-alive survives)',
    method: 'POST',
    body: UPLOAD,
    thrown: () => new ContentTooLarge(),
    accept: JSON_TYPE,
    status: 413,
    type: JSON_TYPE,
    lang: 'en',
  },
  {
    name: 'no route (notFound / Koa implicit 404)',
    path: '/nowhere',
    accept: JSON_TYPE,
    status: 404,
    type: JSON_TYPE,
    lang: 'en',
  },
  {
    name: '444: the connection is closed without a response',
    thrown: () => createError(444),
    accept: JSON_TYPE,
    closed: true,
    weight: 1,
  },
]

// 444 closes a keep-alive socket: keep it rare so the run stays a keep-alive run.
const schedule = scenarios.flatMap((scenario, index) =>
  Array.from({ length: scenario.weight ?? 10 }, () => index),
)

const quiet = { onError: false, onWarning: false }

function scenarioOf(url) {
  const match = /^\/s\/(\d+)$/.exec(url)
  return match === null ? undefined : scenarios[Number(match[1])]
}

function startExpress() {
  const app = express()
  app.all('/s/:index', (req) => {
    throw scenarioOf(req.path).thrown()
  })
  app.use(notFound())
  app.use(expressErrorHandler(quiet))
  return listen('express', createServer(app))
}

function startKoa() {
  const app = new Koa()
  app.use(koaErrorHandler(quiet))
  app.use((ctx) => {
    const scenario = scenarioOf(ctx.path)
    if (scenario !== undefined) throw scenario.thrown()
  })
  return listen('koa', createServer(app.callback()))
}

function listen(name, server) {
  let opened = 0
  server.on('connection', () => {
    opened += 1
  })
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({
        name,
        server,
        port: server.address().port,
        agent: new Agent({ keepAlive: true, maxSockets: SOCKETS }),
        opened: () => opened,
      })
    })
  })
}

function connections(server) {
  return new Promise((resolve, reject) => {
    server.getConnections((error, count) => (error ? reject(error) : resolve(count)))
  })
}

const failures = new Map()
function fail(app, scenario, problem) {
  const key = `${app.name}: ${scenario.name}: ${problem}`
  failures.set(key, (failures.get(key) ?? 0) + 1)
}

/** One request; resolves when it is checked. Never rejects. */
function exchange(app, index) {
  const scenario = scenarios[index]
  const method = scenario.method ?? 'GET'
  const headers = { accept: scenario.accept }
  if (scenario.language !== undefined) headers['accept-language'] = scenario.language
  if (scenario.body !== undefined) headers['content-length'] = String(scenario.body.length)
  return new Promise((resolve) => {
    let done = false
    const finish = (problem) => {
      if (done) return
      done = true
      if (problem !== undefined) fail(app, scenario, problem)
      resolve()
    }
    const req = request(
      {
        host: '127.0.0.1',
        port: app.port,
        agent: app.agent,
        method,
        path: scenario.path ?? `/s/${index}`,
        headers,
        timeout: REQUEST_TIMEOUT,
      },
      (res) => {
        const chunks = []
        let length = 0
        res.on('data', (chunk) => {
          chunks.push(chunk)
          length += chunk.length
        })
        res.on('error', (error) => finish(`response error ${error.code ?? error.message}`))
        res.on('end', () => {
          if (!res.complete) return finish('incomplete response')
          finish(check(scenario, method, res, Buffer.concat(chunks, length)))
        })
      },
    )
    req.on('timeout', () => {
      req.destroy(new Error('timeout'))
    })
    req.on('error', (error) => {
      // 444 answers by closing the connection: that error is the expected outcome.
      if (scenario.closed && /ECONNRESET|socket hang up/.test(`${error.code} ${error.message}`)) {
        finish(undefined)
      } else {
        finish(`request error ${error.code ?? error.message}`)
      }
    })
    req.end(scenario.body)
  })
}

/** What is wrong with a response, or undefined. */
function check(scenario, method, res, body) {
  if (scenario.closed) return `a response (${res.statusCode}) where the connection should close`
  if (res.statusCode !== scenario.status) return `status ${res.statusCode}`
  const length = res.headers['content-length']
  if (scenario.type === undefined || method === 'HEAD') {
    if (body.length !== 0) return `${body.length} body bytes where none may be`
    if (scenario.status === 204 && length !== undefined) return 'Content-Length on a 204'
  } else {
    if (length === undefined) return 'no Content-Length'
    if (Number(length) !== body.length) return `Content-Length ${length} but ${body.length} bytes`
    if (res.headers['content-type'] !== scenario.type)
      return `Content-Type ${res.headers['content-type']}`
    if (res.headers['content-language'] !== scenario.lang)
      return `Content-Language ${res.headers['content-language']}`
    const text = body.toString('utf8')
    if (scenario.type.includes('json')) {
      let parsed
      try {
        parsed = JSON.parse(text)
      } catch {
        return 'JSON does not parse'
      }
      if (parsed.status !== scenario.status) return `JSON status ${parsed.status}`
    }
    if (scenario.hidden !== undefined && text.includes(scenario.hidden))
      return 'a 5xx message leaked'
  }
  if (scenario.field !== undefined) {
    const [name, value] = scenario.field
    if (res.headers[name] !== value) return `${name}: ${res.headers[name]}`
  }
  return undefined
}

/** Sends `total` requests, spread over the apps, `concurrency` at a time per app. */
async function run(apps, total, deadline) {
  let sent = 0
  const worker = async (app, offset) => {
    let turn = offset
    while (sent < total && Date.now() < deadline) {
      sent += 1
      await exchange(app, schedule[turn % schedule.length])
      turn += 7 // a stride prime to the schedule's length varies the order per worker
    }
  }
  const workers = []
  for (const app of apps) {
    for (let index = 0; index < concurrency; index++) workers.push(worker(app, index))
  }
  await Promise.all(workers)
  return sent
}

function heapUsed() {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`

async function main() {
  const apps = [await startExpress(), await startKoa()]
  const deadline = Date.now() + seconds * 1000
  await run(apps, WARM_UP, deadline)
  const heapBefore = heapUsed()
  const start = process.hrtime.bigint()
  const sent = await run(apps, Math.max(0, requested - WARM_UP), deadline)
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9
  const timedOut = Date.now() >= deadline
  const openAtEnd = []
  for (const app of apps) openAtEnd.push(await connections(app.server))
  for (const app of apps) app.agent.destroy()
  // The agents closed their sockets: the servers must see every connection go.
  const drainDeadline = Date.now() + 5_000
  let leaked = 0
  for (const app of apps) {
    while ((await connections(app.server)) > 0 && Date.now() < drainDeadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    leaked += await connections(app.server)
  }
  const heapAfter = heapUsed()
  for (const app of apps) await new Promise((resolve) => app.server.close(resolve))

  const failed = [...failures.values()].reduce((sum, count) => sum + count, 0)
  const growth = heapAfter - heapBefore
  console.log(
    [
      `soak: ${WARM_UP + sent} requests (${WARM_UP} of them warm-up) over ${apps.map((app) => app.name).join(' and ')}, ${scenarios.length} scenarios, ${concurrency} in flight per app, keep-alive agents of ${SOCKETS} sockets`,
      `  time        ${elapsed.toFixed(1)} s after the warm-up, ${Math.round(sent / elapsed)} requests/s${timedOut ? ` (stopped at the ${seconds} s limit)` : ''}`,
      `  failures    ${failed}`,
      ...[...failures].slice(0, 20).map(([key, count]) => `    ${count} × ${key}`),
      `  heap        ${mb(heapBefore)} before, ${mb(heapAfter)} after (growth ${mb(growth)}, limit ${mb(HEAP_LIMIT)})`,
      `  sockets     ${apps.map((app) => `${app.name} opened ${app.opened()}`).join(', ')}; open at the end ${openAtEnd.join(' + ')} (≤ ${SOCKETS} each), after the agents closed ${leaked}`,
      `  node        ${process.version}`,
    ].join('\n'),
  )
  const ok =
    failed === 0 && leaked === 0 && growth <= HEAP_LIMIT && openAtEnd.every((n) => n <= SOCKETS)
  console.log(ok ? 'soak: ok' : 'soak: FAILED')
  process.exitCode = ok ? 0 : 1
}

main().catch((error) => {
  console.error('soak: crashed', error)
  process.exitCode = 1
})
