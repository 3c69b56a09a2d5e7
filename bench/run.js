// `npm run bench`: every benchmark in one run, printed as Markdown once all have run (progress
// goes to stderr), the targets first.
//
//   node bench/run.js [part …] [--rounds N] [--duration S] [--connections N]
//                     [--frameworks express,koa,fastify,hono] [--runs N] [--baseline DIR]
//
// Parts: http (loopback, API client headers), template, shape, construct, imports, bundle;
// with no part, all of them. http-browser (loopback with a browser's headers) runs only when
// named. --baseline DIR (or BENCH_BASELINE=DIR) times another build of errorshape alongside
// in http and shape: DIR is a package directory holding its package.json and dist/.
import { cpus, loadavg } from 'node:os'
import { parseArgs } from 'node:util'
import { benchBundles, bundleTable } from './bundle.js'
import { benchConstruction, constructionTable } from './construct.js'
import { benchHttp, httpTables, httpTargets } from './http.js'
import { benchImports, importsTable } from './imports.js'
import { benchShaping, shapingTable } from './shape.js'
import { benchTemplate, templateTable, templateTargets } from './template.js'
import { table } from './util.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    frameworks: { type: 'string' },
    runs: { type: 'string' },
    baseline: { type: 'string' },
  },
})
const number = (text, fallback) => (text === undefined ? fallback : Number(text))
const baseline = values.baseline ?? process.env.BENCH_BASELINE
const http = {
  rounds: number(values.rounds, 6),
  duration: number(values.duration, 1),
  connections: number(values.connections, 10),
  baseline,
  ...(values.frameworks === undefined ? {} : { frameworks: values.frameworks.split(',') }),
}

/** Each part: its heading, and a function giving its Markdown and the targets it judges. */
const PARTS = {
  http: [
    'End to end on loopback: the error path and the success path',
    async () => {
      const run = await benchHttp('api', http)
      return { markdown: httpTables(run), targets: httpTargets(run) }
    },
  ],
  'http-browser': [
    'End to end on loopback, browser headers (the HTML page)',
    async () => {
      const run = await benchHttp('browser', http)
      return { markdown: httpTables(run), targets: [] }
    },
  ],
  template: [
    'HTML: a function template against the built-in page (shape only, Accept: text/html)',
    () => {
      const results = benchTemplate()
      return { markdown: templateTable(results), targets: templateTargets(results) }
    },
  ],
  shape: [
    'Shaping one error (construction excluded)',
    async () => ({ markdown: shapingTable(await benchShaping({ baseline })), targets: [] }),
  ],
  construct: [
    'Constructing an error',
    () => ({ markdown: constructionTable(benchConstruction()), targets: [] }),
  ],
  imports: [
    'Import time of each entry point (a fresh process each, median)',
    async () => {
      const results = await benchImports({ runs: number(values.runs, 5) })
      return { markdown: importsTable(results), targets: [] }
    },
  ],
  bundle: [
    'Bundle size of each entry point (esbuild --bundle --minify, gzip)',
    async () => ({ markdown: bundleTable(await benchBundles()), targets: [] }),
  ],
}
const DEFAULT_PARTS = ['http', 'template', 'shape', 'construct', 'imports', 'bundle']

const wanted = positionals.length > 0 ? positionals : DEFAULT_PARTS
for (const part of wanted) {
  if (!(part in PARTS)) {
    console.error(`unknown part ${part}; parts: ${Object.keys(PARTS).join(', ')}`)
    process.exit(2)
  }
}

const verdict = (met) => (met === undefined ? '–' : met ? 'yes' : '**no**')
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(', ')
const started = Date.now()
const loadAtStart = load()
const sections = []
const targets = []
// The quick parts first and loopback, the long one, last: a part that fails, fails early.
const isLoopback = (part) => (part.startsWith('http') ? 1 : 0)
for (const part of [...wanted].sort((a, b) => isLoopback(a) - isLoopback(b))) {
  console.error(`running ${part} …`)
  const [heading, run] = PARTS[part]
  const partStarted = Date.now()
  const { markdown, targets: judged } = await run()
  const took = `${((Date.now() - partStarted) / 1000).toFixed(0)} s`
  sections[wanted.indexOf(part)] = `### ${heading}\n\n${markdown}\n\n(${part}: ${took})\n`
  targets.push(...judged)
}
const seconds = ((Date.now() - started) / 1000).toFixed(0)

const args = process.argv.slice(2).join(' ')
console.log(
  [
    '## Benchmarks',
    '',
    `\`node bench/run.js${args === '' ? '' : ` ${args}`}\` · Node ${process.version} · ` +
      `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'} · ${process.platform} · ` +
      `${new Date().toISOString().slice(0, 10)} · load average ${loadAtStart} at the start, ` +
      `${load()} at the end · ${seconds} s`,
    '',
    ...(targets.length === 0
      ? []
      : [
          '### Targets',
          '',
          table(
            ['target', 'measured', 'met?', 'met, by CPU per request?'],
            targets.map(({ target, measured, met, metByCpu }) => [
              target,
              measured,
              verdict(met),
              verdict(metByCpu),
            ]),
          ),
          '',
        ]),
    ...sections.filter(Boolean),
  ].join('\n'),
)
