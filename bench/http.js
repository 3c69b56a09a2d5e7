// End to end on loopback: autocannon against Express and Koa apps whose route throws NotFound,
// each variant in a child process of its own (started once, warmed up, then measured in
// interleaved rounds). `node bench/http.js` runs this part alone.
import { fork } from 'node:child_process'
import { request } from 'node:http'
import { isDeepStrictEqual } from 'node:util'
import autocannon from 'autocannon'
import { median } from './compare.js'
import { ACCEPT_LANGUAGE, API_ACCEPT, BROWSER_ACCEPT, isMain, table, times } from './util.js'

/** Request headers as real clients send them. */
export const PROFILES = {
  api: {
    label: 'API client (axios-like Accept: application/json, text/plain, */*)',
    headers: {
      accept: API_ACCEPT,
      'accept-language': ACCEPT_LANGUAGE,
      'accept-encoding': 'gzip, compress, deflate, br',
      'user-agent': 'axios/1.7.9',
    },
  },
  browser: {
    label: 'browser (Chrome navigation headers)',
    headers: {
      accept: BROWSER_ACCEPT,
      'accept-language': ACCEPT_LANGUAGE,
      'accept-encoding': 'gzip, deflate, br, zstd',
      'user-agent':
        'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
      'upgrade-insecure-requests': '1',
      'sec-fetch-mode': 'navigate',
    },
  },
}

/** The variants of each framework, by server script. */
export const VARIANTS = {
  express: [
    ['errorshape', 'errorshape errorHandler()'],
    ['floor', 'floor: minimal error middleware, same bytes'],
    ['floor-setheader', 'floor, headers set with setHeader'],
    ['no-throw', 'no throw: route writes the same bytes'],
    ['default', "Express's default handler (finalhandler)"],
    ['errorhandler', 'errorhandler'],
    // Diagnostics, run only when asked for by name (variants: [...]).
    ['diag-format', 'diagnostic: errorshape formatter, floor writer'],
    ['diag-write', 'diagnostic: errorshape writer, precomputed response'],
    ['diag-fw', 'diagnostic: errorshape formatter and writer'],
    ['diag-fwd', 'diagnostic: errorshape formatter and writer, request drained'],
  ],
  koa: [
    ['errorshape', 'errorshape errorHandler()'],
    ['floor', 'floor: minimal try/catch middleware, same bytes'],
    ['floor-setheader', 'floor, headers set with setHeader'],
    ['no-throw', 'no throw: route writes the same bytes'],
    ['default', "Koa's default ctx.onerror"],
    // Diagnostics, run only when asked for by name (variants: [...]).
    ['diag-wrapper', 'diagnostic: errorshape middleware shape, floor writer'],
    ['diag-format', 'diagnostic: errorshape formatter, floor writer'],
    ['diag-fw', 'diagnostic: errorshape formatter and writer'],
  ],
}

const SERVER_SCRIPT = {
  express: new URL('./servers/express.js', import.meta.url),
  koa: new URL('./servers/koa.js', import.meta.url),
}

/** Starts one variant's server in a child process; resolves once it listens. */
export function startServer(framework, variant, headers, { execArgv = [], env = {} } = {}) {
  // Express's default handler logs every error with console.error (unless NODE_ENV is
  // 'test'): that cost stays in, but its output goes nowhere.
  const quiet = framework === 'express' && variant === 'default'
  const child = fork(SERVER_SCRIPT[framework], [variant, JSON.stringify(headers)], {
    execArgv,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'inherit', quiet ? 'ignore' : 'inherit', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`${framework} ${variant} exited with ${code}`)))
    child.once('message', ({ port }) => {
      child.removeAllListeners('exit')
      const cpu = () =>
        new Promise((done) => {
          child.once('message', (message) => done(message.cpu))
          child.send('cpu')
        })
      const stop = () =>
        new Promise((done) => {
          if (child.exitCode !== null) return done()
          child.once('exit', () => done())
          child.send('exit')
        })
      resolve({ port, cpu, stop })
    })
  })
}

/** One request: status, header fields (without the per-connection ones) and body. */
export function fetchOnce(port, headers) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/users/42', headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => {
        const fields = { ...res.headers }
        delete fields.date
        delete fields.connection
        delete fields['keep-alive']
        resolve({ status: res.statusCode, statusMessage: res.statusMessage, headers: fields, body })
      })
    })
    req.on('error', reject)
    req.end()
  })
}

function load(port, headers, { duration, connections }) {
  return autocannon({
    url: `http://127.0.0.1:${port}/users/42`,
    headers,
    connections,
    duration,
    pipelining: 1,
  })
}

/**
 * Runs every variant of every framework for one request profile: checks that the floors
 * write what errorshape writes, warms each server up, then measures in `rounds` rounds, each
 * visiting the variants in a rotated order. Medians of requests/s, p99 latency and the
 * server's CPU time per request.
 */
export async function benchHttp(profileName, options = {}) {
  const {
    rounds = 4,
    duration = 3,
    connections = 10,
    frameworks = ['express', 'koa'],
    variants: only,
    baseline = process.env.BENCH_BASELINE,
    log = (line) => console.error(line),
  } = options
  const { headers } = PROFILES[profileName]
  const servers = []
  try {
    for (const framework of frameworks) {
      const variants = VARIANTS[framework].filter(([name]) =>
        only === undefined ? !name.startsWith('diag-') : only.includes(name),
      )
      if (baseline) variants.splice(1, 0, ['errorshape', 'errorshape, baseline build', baseline])
      for (const [variant, label, pkg] of variants) {
        const env = pkg === undefined ? {} : { BENCH_PACKAGE: pkg }
        const server = await startServer(framework, variant, headers, { env })
        servers.push({ framework, variant, label, baseline: pkg !== undefined, ...server })
      }
    }
    const checks = []
    for (const framework of frameworks) {
      const ofFramework = servers.filter((server) => server.framework === framework)
      const ours = await fetchOnce(
        ofFramework.find((s) => s.variant === 'errorshape').port,
        headers,
      )
      for (const server of ofFramework) {
        server.response = await fetchOnce(server.port, headers)
        if (server.variant.startsWith('floor') || server.variant === 'no-throw') {
          checks.push({
            framework,
            variant: server.variant,
            same: isDeepStrictEqual(server.response, ours),
          })
        }
      }
    }
    for (const server of servers) {
      log(`  warming up ${server.framework} ${server.label}`)
      await load(server.port, headers, { duration: 1, connections })
      server.samples = []
    }
    for (let round = 0; round < rounds; round++) {
      log(`  round ${round + 1} of ${rounds}`)
      for (let i = 0; i < servers.length; i++) {
        const server = servers[(i + round) % servers.length]
        const before = await server.cpu()
        const result = await load(server.port, headers, { duration, connections })
        const cpu = (await server.cpu()) - before
        const completed = result.requests.total
        server.samples.push({
          rps: result.requests.average,
          p99: result.latency.p99,
          cpuPerRequest: completed > 0 ? cpu / completed : NaN,
          failures: result.errors + result.timeouts + result['2xx'],
        })
      }
    }
    return {
      profile: profileName,
      checks,
      servers: servers.map(
        ({ framework, variant, label, baseline: isBaseline, response, samples }) => ({
          framework,
          variant,
          label,
          baseline: isBaseline,
          bytes: response.body.length,
          contentType: response.headers['content-type'],
          rps: median(samples.map((s) => s.rps)),
          p99: median(samples.map((s) => s.p99)),
          cpuPerRequest: median(samples.map((s) => s.cpuPerRequest)),
          failures: samples.reduce((sum, s) => sum + s.failures, 0),
          samples,
        }),
      ),
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
  }
}

/** The Markdown tables of one `benchHttp` result, one per framework. */
/**
 * The ratio of two variants on one measure, round by round (each round ran both under the
 * same conditions): the median, and the quartiles as a sense of the spread.
 */
export function pairedRatio(a, b, key) {
  const ratios = a.samples.map((sample, round) => sample[key] / b.samples[round][key])
  ratios.sort((x, y) => x - y)
  const n = ratios.length
  return {
    median: median(ratios),
    low: ratios[Math.floor((n - 1) / 4)],
    high: ratios[Math.ceil((3 * (n - 1)) / 4)],
  }
}

function ratioCell({ median: m, low, high }) {
  return `${times(m)} (${low.toFixed(2)}–${high.toFixed(2)})`
}

/** The Markdown tables of one `benchHttp` result, one per framework. */
export function httpTables({ servers, checks }) {
  const out = []
  for (const framework of new Set(servers.map((s) => s.framework))) {
    const rows = servers.filter((s) => s.framework === framework)
    const floor = rows.find((s) => s.variant === 'floor')
    const fallback = rows.find((s) => s.variant === 'default')
    out.push(
      `**${framework === 'express' ? 'Express 5' : 'Koa 3'}**\n`,
      table(
        [
          'variant',
          'req/s',
          '÷ floor',
          '÷ default',
          'p99',
          'server CPU per request',
          'CPU ÷ floor',
          'response',
        ],
        rows.map((s) => [
          s.label,
          s.rps.toFixed(0),
          s === floor ? '1' : ratioCell(pairedRatio(s, floor, 'rps')),
          s === fallback ? '1' : fallback ? ratioCell(pairedRatio(s, fallback, 'rps')) : '–',
          `${s.p99.toFixed(1)} ms`,
          `${s.cpuPerRequest.toFixed(0)} µs`,
          s === floor ? '1' : ratioCell(pairedRatio(s, floor, 'cpuPerRequest')),
          `${s.contentType ?? 'none'}, ${s.bytes} B${s.failures > 0 ? `, ${s.failures} failures!` : ''}`,
        ]),
      ),
      '',
    )
  }
  for (const { framework, variant, same } of checks) {
    out.push(
      `- ${framework} ${variant}: ${same ? 'writes the same status line, headers and body as errorshape' : '**differs from errorshape** (the comparison is not fair)'}`,
    )
  }
  out.push(
    '',
    'Ratios are medians of per-round ratios (each round runs every variant back to back), with their quartiles.',
  )
  return out.join('\n')
}

if (isMain(import.meta.url)) {
  const profile = process.argv[2] ?? 'api'
  console.log(httpTables(await benchHttp(profile)))
}
