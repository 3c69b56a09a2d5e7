// Shaping one error (construction excluded): errorshape's formatter vs a naive handler (a new
// Negotiator per request, JSON.stringify, a header object) vs JSON.stringify alone (the floor).
// `node bench/shape.js` runs this part alone.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import Negotiator from 'negotiator'
import { createFormatter, NotFound } from 'errorshape'
import { compare } from './compare.js'
import { BROWSER_ACCEPT, JSON_ACCEPT, ACCEPT_LANGUAGE, isMain, table, times } from './util.js'

export { compare } from './compare.js'

const OFFERS = ['application/problem+json', 'application/json', 'text/html', 'text/plain']

/** What a hand-written handler typically does: negotiate afresh, stringify, set headers. */
export function naiveHandler(error, request) {
  const negotiator = new Negotiator(request)
  const type = negotiator.mediaType(OFFERS) ?? OFFERS[0]
  const body = JSON.stringify({
    type: 'about:blank',
    title: 'Not Found',
    status: error.status,
    detail: error.message,
    instance: request.url,
  })
  return {
    status: error.status,
    headers: { 'content-type': type, 'content-length': Buffer.byteLength(body) },
    body,
  }
}

function problemOf(error) {
  return {
    type: 'about:blank',
    title: 'Not Found',
    status: 404,
    detail: error.message,
    instance: '/users/42',
  }
}

// More distinct messages than the formatter's body cache holds (256), cycled through by a
// counter that runs on across samples: every call renders a body afresh.
const DISTINCT = 4096

/** errorshape's createFormatter from another build (a package directory), to compare with. */
async function baselineFormatter(dir) {
  const { createFormatter: create } = await import(
    pathToFileURL(join(dir, 'dist', 'index.js')).href
  )
  return create()
}

/**
 * Times the candidates for each case. With `baseline` (a package directory, or the
 * BENCH_BASELINE variable), that build's formatter runs alongside.
 */
export async function benchShaping(options = {}) {
  const { baseline = process.env.BENCH_BASELINE, ...timing } = options
  const format = createFormatter()
  const before = baseline ? await baselineFormatter(baseline) : undefined
  const same = new NotFound('No user 42')
  const distinct = Array.from({ length: DISTINCT }, (_, i) => new NotFound(`No user ${i}`))
  const distinctProblems = distinct.map(problemOf)
  const sameProblem = problemOf(same)
  const results = []
  for (const [accept, acceptLabel] of [
    [BROWSER_ACCEPT, 'browser Accept'],
    [JSON_ACCEPT, 'Accept: application/json'],
  ]) {
    const request = {
      method: 'GET',
      url: '/users/42',
      headers: { accept, 'accept-language': ACCEPT_LANGUAGE },
    }
    let k = 0
    const cases = [
      [
        `${acceptLabel}, same error`,
        [
          ['errorshape', () => format(same, request)],
          ['naive handler', () => naiveHandler(same, request)],
          ['JSON.stringify (floor)', () => JSON.stringify(sameProblem)],
        ],
      ],
      [
        `${acceptLabel}, a new message each call`,
        [
          ['errorshape', () => format(distinct[k++ & (DISTINCT - 1)], request)],
          ['naive handler', () => naiveHandler(distinct[k++ & (DISTINCT - 1)], request)],
          ['JSON.stringify (floor)', () => JSON.stringify(distinctProblems[k++ & (DISTINCT - 1)])],
        ],
      ],
    ]
    if (before !== undefined) {
      cases[0][1].push(['errorshape, baseline build', () => before(same, request)])
      cases[1][1].push([
        'errorshape, baseline build',
        () => before(distinct[k++ & (DISTINCT - 1)], request),
      ])
    }
    for (const [label, candidates] of cases) {
      const [ours, naive, floor, old] = compare(candidates, timing)
      results.push({ label, ours: ours.ns, naive: naive.ns, floor: floor.ns, baseline: old?.ns })
    }
  }
  return results
}

/** The Markdown table of `benchShaping`'s results. */
export function shapingTable(results) {
  const withBaseline = results.some((row) => row.baseline !== undefined)
  return table(
    [
      'case',
      'errorshape',
      'naive handler',
      'JSON.stringify',
      'errorshape ÷ naive',
      'errorshape ÷ stringify',
      ...(withBaseline ? ['baseline build', 'errorshape ÷ baseline'] : []),
    ],
    results.map(({ label, ours, naive, floor, baseline }) => [
      label,
      `${ours.toFixed(0)} ns`,
      `${naive.toFixed(0)} ns`,
      `${floor.toFixed(0)} ns`,
      times(ours / naive),
      times(ours / floor),
      ...(withBaseline ? [`${baseline.toFixed(0)} ns`, times(ours / baseline)] : []),
    ]),
  )
}

if (isMain(import.meta.url)) {
  console.log(shapingTable(await benchShaping()))
}
