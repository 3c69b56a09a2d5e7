// The error path without the network: one Express-style error middleware answering a thrown
// NotFound on a fresh node:http request/response pair (no socket, so nothing is sent; what
// the response would write is buffered and dropped). Far less noisy than loopback, so it
// shows what the handler itself costs. `node bench/handler.js` runs this part alone.
import { IncomingMessage, ServerResponse } from 'node:http'
import { Socket } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import errorhandler from 'errorhandler'
import finalhandler from 'finalhandler'
import { createFormatter, NotFound } from 'errorshape'
import { errorHandler } from 'errorshape/express'
import { compareAsync } from './compare.js'
import { PROFILES } from './http.js'
import { isMain, table, times } from './util.js'

// One socket for all requests, not readable, so finalhandler answers at once (it waits for
// the request to end otherwise).
const socket = new Socket()
socket.readable = false

function requestPair(headers) {
  const req = new IncomingMessage(socket)
  req.method = 'GET'
  req.url = '/users/42'
  req.originalUrl = '/users/42'
  req.headers = headers
  // A GET's message is complete when its handler runs: Node's parser has read it all.
  req.complete = true
  return [req, new ServerResponse(req)]
}

const next = () => {}

/**
 * What Node's server does once a response finishes (there is no socket here to finish it):
 * a request body nobody started to read is dumped, so the connection can carry the next one.
 */
function finish(req) {
  if (!req._consuming && !req._readableState.resumeScheduled) req._dump()
}

/**
 * Median CPU time per answered error of each handler, for each request profile. With
 * `baseline` (a package directory, or BENCH_BASELINE), that build's errorHandler runs too.
 */
export async function benchHandlers(options = {}) {
  const { baseline = process.env.BENCH_BASELINE, ...timing } = options
  const ours = errorHandler()
  const before = baseline
    ? (await import(pathToFileURL(join(baseline, 'dist', 'express.js')).href)).errorHandler()
    : undefined
  const error = new NotFound('No user 42')
  const results = []
  for (const [name, { headers }] of Object.entries(PROFILES)) {
    const shaped = createFormatter()(error, { method: 'GET', url: '/users/42', headers })
    const handlers = [
      ['errorshape errorHandler()', (req, res) => ours(error, req, res, next)],
      ...(before === undefined
        ? []
        : [['errorshape, baseline build', (req, res) => before(error, req, res, next)]]),
      [
        'floor: writeHead + end, same bytes',
        (req, res) => {
          res.writeHead(shaped.status, shaped.headers)
          res.end(shaped.body)
        },
      ],
      [
        'floor, headers set with setHeader',
        (req, res) => {
          res.statusCode = shaped.status
          for (const name of Object.keys(shaped.headers)) res.setHeader(name, shaped.headers[name])
          res.end(shaped.body)
        },
      ],
      [
        'finalhandler (Express default, without its console.error)',
        (req, res) => finalhandler(req, res, { env: 'production' })(error),
      ],
      [
        'errorhandler',
        (() => {
          const handle = errorhandler({ log: false })
          return (req, res) => handle(error, req, res, next)
        })(),
      ],
      ['request/response pair only (subtracted above)', () => {}],
    ]
    const candidates = handlers.map(([label, handle]) => [
      label,
      () => {
        const [req, res] = requestPair(headers)
        handle(req, res)
        finish(req)
      },
    ])
    const measured = await compareAsync(candidates, timing)
    const setup = measured.at(-1).ns
    results.push({
      profile: name,
      rows: measured.slice(0, -1).map(({ name: label, ns }) => ({ label, ns: ns - setup })),
      setup,
    })
  }
  return results
}

export function handlerTable(results) {
  const rows = []
  for (const { profile, rows: measured } of results) {
    const floor = measured.find(({ label }) => label.startsWith('floor:')).ns
    for (const { label, ns } of measured) {
      rows.push([profile, label, `${(ns / 1000).toFixed(2)} µs`, times(ns / floor)])
    }
  }
  const setups = results.map(({ profile, setup }) => `${profile} ${(setup / 1000).toFixed(2)} µs`)
  return `${table(['headers', 'handler', 'CPU per error', '÷ floor'], rows)}\n\nMaking the request/response pair, subtracted from each row: ${setups.join(', ')}.`
}

if (isMain(import.meta.url)) {
  console.log(handlerTable(await benchHandlers()))
}
