// `npm run bench`: every benchmark in one run, printed as Markdown (progress goes to stderr).
//
//   node bench/run.js [part …] [--rounds N] [--duration S] [--connections N]
//                     [--frameworks express,koa] [--count N] [--baseline DIR]
//
// Parts: shape, construct, handler, http (API client headers), http-browser (browser headers,
// fewer variants), memory, profile (not in the default run). With no part, all but profile run.
// --baseline DIR (or BENCH_BASELINE=DIR) times another build of errorshape alongside: DIR is a
// package directory holding its package.json and dist/.
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { benchConstruction, constructionTable } from './construct.js'
import { benchHandlers, handlerTable } from './handler.js'
import { benchHttp, httpTables } from './http.js'
import { benchMemory, memoryTable } from './memory.js'
import { profileServer } from './profile.js'
import { profileTable } from './profile-summary.js'
import { benchShaping, shapingTable } from './shape.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    frameworks: { type: 'string' },
    count: { type: 'string' },
    baseline: { type: 'string' },
  },
})
const number = (text, fallback) => (text === undefined ? fallback : Number(text))
const baseline = values.baseline ?? process.env.BENCH_BASELINE
const frameworks = values.frameworks?.split(',')
const http = {
  rounds: number(values.rounds, 6),
  duration: number(values.duration, 1.5),
  connections: number(values.connections, 10),
  baseline,
  ...(frameworks === undefined ? {} : { frameworks }),
}

const PARTS = {
  async shape() {
    return `### Shaping one error (construction excluded)\n\n${shapingTable(await benchShaping({ baseline }))}`
  },
  construct() {
    return `### Constructing an error\n\n${constructionTable(benchConstruction())}`
  },
  async handler() {
    return `### The error middleware alone, without the network\n\n${handlerTable(await benchHandlers({ baseline }))}`
  },
  async http() {
    const result = await benchHttp('api', http)
    return `### End to end: Express and Koa, API client headers\n\n${httpTables(result)}`
  },
  async 'http-browser'() {
    // The HTML page: errorshape, the floor and each framework's default only, fewer rounds.
    const result = await benchHttp('browser', {
      ...http,
      rounds: number(values.rounds, 4),
      variants: ['errorshape', 'floor', 'default'],
    })
    return `### End to end: Express and Koa, browser headers\n\n${httpTables(result)}`
  },
  async memory() {
    const result = await benchMemory(number(values.count, 1_000_000))
    return `### Memory under hostile headers\n\n${memoryTable(result)}`
  },
  async profile() {
    const [, framework = 'express', variant = 'errorshape', profile = 'api'] = positionals
    const { requests, rows } = await profileServer({ framework, variant, profile })
    return [
      `### CPU profile: ${framework} ${variant}, ${profile} headers, ${requests} requests`,
      profileTable(rows, requests),
      profileTable(rows.byPackage, requests),
    ].join('\n\n')
  },
}

const wanted =
  positionals[0] === 'profile'
    ? ['profile']
    : positionals.length > 0
      ? positionals
      : ['shape', 'construct', 'handler', 'http', 'http-browser', 'memory']
for (const part of wanted) {
  if (!(part in PARTS)) {
    console.error(`unknown part ${part}; parts: ${Object.keys(PARTS).join(', ')}`)
    process.exit(2)
  }
}

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ')
const started = Date.now()
console.log(
  [
    '## Benchmarks',
    '',
    `\`node bench/run.js${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}\` · ` +
      `Node ${process.version} · ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'} · ` +
      `${process.platform} · ${new Date().toISOString().slice(0, 10)} · load average at start ${load()}`,
    '',
  ].join('\n'),
)
for (const part of wanted) {
  console.error(`running ${part} …`)
  console.log(`${await PARTS[part]()}\n`)
}
console.log(
  `Load average at the end: ${load()}; ${((Date.now() - started) / 1000).toFixed(0)} s in all.`,
)
