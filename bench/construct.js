// Constructing an error: errorshape's classes vs http-errors' createError vs Boom.
// `node bench/construct.js` runs this part alone.
import Boom from '@hapi/boom'
import httpErrors from 'http-errors'
import { createError, NotFound, MethodNotAllowed } from 'errorshape'
import { compare } from './compare.js'
import { isMain, table, times } from './util.js'

// Every result is kept in a ring, so no construction can be optimized away as dead code.
const ring = new Array(64)
let slot = 0
const keep = (value) => {
  ring[slot++ & 63] = value
}

export function benchConstruction(options = {}) {
  const cases = [
    [
      '404 with a message',
      [
        ['errorshape new NotFound', () => keep(new NotFound('No user 42'))],
        ['errorshape createError', () => keep(createError(404, 'No user 42'))],
        ['http-errors createError', () => keep(httpErrors(404, 'No user 42'))],
        ['Boom.notFound', () => keep(Boom.notFound('No user 42'))],
        ['new Error (reference: the stack trace alone)', () => keep(new Error('No user 42'))],
      ],
    ],
    [
      '405 with Allow',
      [
        [
          'errorshape new MethodNotAllowed',
          () => keep(new MethodNotAllowed({ allow: ['GET', 'POST'] })),
        ],
        ['errorshape createError', () => keep(createError(405, { allow: ['GET', 'POST'] }))],
        [
          'http-errors createError',
          () => keep(httpErrors(405, { headers: { allow: 'GET, HEAD, POST' } })),
        ],
        [
          'Boom.methodNotAllowed',
          () => keep(Boom.methodNotAllowed(undefined, undefined, ['GET', 'HEAD', 'POST'])),
        ],
      ],
    ],
  ]
  return cases.map(([label, candidates]) => ({ label, rows: compare(candidates, options) }))
}

/** The Markdown table of `benchConstruction`'s results: ratios to http-errors. */
export function constructionTable(results) {
  const rows = []
  for (const { label, rows: measured } of results) {
    const reference = measured.find(({ name }) => name.startsWith('http-errors')).ns
    for (const { name, ns } of measured) {
      rows.push([label, name, `${ns.toFixed(0)} ns`, times(ns / reference)])
    }
  }
  return table(['case', 'constructor', 'time', '÷ http-errors'], rows)
}

if (isMain(import.meta.url)) {
  console.log(constructionTable(benchConstruction()))
}
