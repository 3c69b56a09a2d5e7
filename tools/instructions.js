// Instructions per request, counted by valgrind's callgrind: where the microseconds of a noisy
// VM cannot tell two variants apart, instruction counts can. Each variant's server runs under
// callgrind, is warmed up, then counted over a fixed number of requests (main thread only).
//
//   node tools/instructions.js koa floor errorshape [--requests 2000] [--warmup 6000]
//                              [--profile api] [--top 25] [--inclusive 'dist/|servers/']
//                              [--path error|success]
//
// `variant@DIR` counts that variant with another build of errorshape, as in tools/pair.js.
// Prints the main thread's instructions per request for each variant, then, for each variant
// after the first, the functions whose own (self) instructions per request differ most from the
// first's, and the inclusive count of the functions whose name matches --inclusive. JIT code
// is named through V8's perf map (--perf-basic-prof). Needs valgrind (apt-get install valgrind);
// about 1.5 minutes per variant. Totals move by a few per cent between runs (when GC happens);
// the per-function differences are the steadier part.
import { execFileSync, fork } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { PROFILES } from '../bench/http.js'
import { ERROR_PATH, SUCCESS_PATH } from '../bench/servers/common.js'
import { commandLine, isMain, table } from '../bench/util.js'

/** Starts a variant's server under callgrind, counting nothing until told to. */
function startCounted(framework, spec, headers, dir) {
  const [variant, build] = spec.split('@')
  const script = new URL(`../bench/servers/${framework}.js`, import.meta.url)
  const child = fork(script, [variant, JSON.stringify(headers)], {
    execPath: 'valgrind',
    execArgv: [
      '--tool=callgrind',
      '--smc-check=all-non-file', // V8 writes and rewrites machine code
      '--separate-threads=yes',
      '--dump-instr=no',
      `--callgrind-out-file=${join(dir, `${variant}.%p`)}`,
      process.execPath,
      '--perf-basic-prof',
    ],
    env: { ...process.env, NODE_ENV: 'production', ...(build ? { BENCH_PACKAGE: build } : {}) },
    cwd: dir, // V8's isolate logs land there, not in the project
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`${variant} exited with ${code} under valgrind`)))
    child.once('message', ({ port }) => {
      child.removeAllListeners('exit')
      resolve({ child, port })
    })
  })
}

function send(port, headers, amount, path) {
  return autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    headers,
    connections: 4,
    amount,
  })
}

/** V8's perf map of a process: start address, size and name of each piece of JIT code. */
function readPerfMap(pid) {
  const rows = readFileSync(`/tmp/perf-${pid}.map`, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [start, size, ...name] = line.split(' ')
      return {
        start: parseInt(start, 16),
        end: parseInt(start, 16) + parseInt(size, 16),
        name: name.join(' '),
      }
    })
  rows.sort((a, b) => a.start - b.start)
  return rows
}

function nameAt(rows, address) {
  let low = 0
  let high = rows.length - 1
  while (low <= high) {
    const middle = (low + high) >> 1
    if (rows[middle].start <= address) low = middle + 1
    else high = middle - 1
  }
  const row = rows[high]
  return row !== undefined && address < row.end ? row.name : '(JIT code, unnamed)'
}

const ROOT = new URL('..', import.meta.url).pathname

/** Instructions per function of one callgrind dump, self or inclusive, names resolved. */
function countsOf(file, perfMap, inclusive) {
  const text = execFileSync(
    'callgrind_annotate',
    [`--inclusive=${inclusive ? 'yes' : 'no'}`, '--threshold=100', file],
    { encoding: 'utf8', maxBuffer: 1 << 28 },
  )
  const counts = new Map()
  let total = 0
  for (const line of text.split('\n')) {
    const match = /^\s*([\d,]+)\s+\(\s*[\d.]+%\)\s+(.*)$/.exec(line)
    if (match === null) continue
    const count = Number(match[1].replaceAll(',', ''))
    let name = match[2]
    if (name.includes('PROGRAM TOTALS')) {
      total = count
      continue
    }
    const jit = /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]$/.exec(name)
    name = jit === null ? name.replace(/^\?\?\?:/, '') : nameAt(perfMap, parseInt(jit[1], 16))
    name = name
      .replaceAll(`file://${ROOT}`, '')
      .replaceAll(ROOT, '')
      .replace(' [/usr/bin/node]', '')
    counts.set(name, (counts.get(name) ?? 0) + count)
  }
  return { total, counts }
}

/** Counts one variant: warm up, zero, count `requests` requests, dump, stop. */
async function countVariant(framework, variant, headers, { requests, warmup, route }) {
  const dir = mkdtempSync(join(tmpdir(), 'errorshape-callgrind-'))
  let server
  try {
    server = await startCounted(framework, variant, headers, dir)
    const { child, port } = server
    const pid = child.pid
    await send(port, headers, warmup, route)
    execFileSync('callgrind_control', ['--zero', String(pid)], { stdio: 'ignore' })
    const result = await send(port, headers, requests, route)
    execFileSync('callgrind_control', ['--dump', String(pid)], { stdio: 'ignore' })
    const perfMap = readPerfMap(pid)
    // The dump asked for is part 1; its main thread is thread 01.
    const file = readdirSync(dir).find((name) => name.endsWith('.1-01'))
    if (file === undefined) throw new Error(`no callgrind dump for ${variant}`)
    const path = join(dir, file)
    return {
      variant,
      requests: result.requests.total,
      self: countsOf(path, perfMap, false),
      inclusive: countsOf(path, perfMap, true),
    }
  } finally {
    if (server !== undefined) {
      const { child } = server
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done))
        child.kill()
        await exited
      }
      rmSync(`/tmp/perf-${child.pid}.map`, { force: true })
    }
    rmSync(dir, { recursive: true, force: true })
  }
}

// The event loop and process entry: every instruction is under them.
const FRAMES =
  /^(main|node::Start|node::NodeMainInstance|node::SpinEventLoop|\(below main\)|0x[0-9a-f]+ \[|\.\/csu\/)/

export async function countInstructions({
  framework = 'koa',
  variants = ['floor', 'errorshape'],
  profile = 'api',
  requests = 2000,
  warmup = 6000,
  top = 25,
  inclusive = 'dist/',
  path = 'error',
} = {}) {
  const { headers } = PROFILES[profile]
  const results = []
  for (const variant of variants) {
    console.error(`  counting ${framework} ${variant} under callgrind`)
    if (path !== 'success' && path !== 'error')
      throw new TypeError(`--path: success or error, not ${path}`)
    const route = path === 'success' ? SUCCESS_PATH : ERROR_PATH
    results.push(await countVariant(framework, variant, headers, { requests, warmup, route }))
  }
  const perRequest = (count, result) => Math.round(count / result.requests)
  const out = [
    table(
      ['variant', 'instructions per request (main thread)', '÷ first'],
      results.map((r) => [
        r.variant,
        perRequest(r.self.total, r).toLocaleString('en'),
        (r.self.total / r.requests / (results[0].self.total / results[0].requests)).toFixed(3),
      ]),
    ),
  ]
  const [first, ...others] = results
  const pattern = new RegExp(inclusive)
  for (const other of others) {
    const names = new Set([...first.self.counts.keys(), ...other.self.counts.keys()])
    const rows = [...names]
      .filter((name) => !FRAMES.test(name))
      .map((name) => {
        const a = perRequest(first.self.counts.get(name) ?? 0, first)
        const b = perRequest(other.self.counts.get(name) ?? 0, other)
        return { name, a, b, difference: b - a }
      })
      .filter((row) => row.difference !== 0)
      .sort((x, y) => Math.abs(y.difference) - Math.abs(x.difference))
      .slice(0, top)
    out.push(
      '',
      `**${other.variant} − ${first.variant}**, self instructions per request, largest differences:`,
      '',
      table(
        ['difference', first.variant, other.variant, 'function'],
        rows.map((row) => [row.difference, row.a, row.b, `\`${row.name.slice(0, 100)}\``]),
      ),
    )
  }
  for (const result of results) {
    const rows = [...result.inclusive.counts]
      .filter(([name]) => pattern.test(name))
      .sort((x, y) => y[1] - x[1])
      .slice(0, top)
    if (rows.length === 0) continue
    out.push(
      '',
      `**${result.variant}**, inclusive instructions per request of the functions matching \`${inclusive}\`:`,
      '',
      table(
        ['instructions', 'function'],
        rows.map(([name, count]) => [perRequest(count, result), `\`${name}\``]),
      ),
    )
  }
  return out.join('\n')
}

if (isMain(import.meta.url)) {
  const { positionals, options } = commandLine({
    requests: Number,
    warmup: Number,
    profile: String,
    top: Number,
    inclusive: String,
    path: String,
  })
  const [framework, ...variants] = positionals
  console.log(
    await countInstructions({
      framework,
      ...(variants.length > 0 ? { variants } : {}),
      ...options,
    }),
  )
}
