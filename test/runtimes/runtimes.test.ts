/**
 * The built package (dist/) on Node, Bun, Deno and workerd: each runtime runs its runner once
 * (test/runtimes/runners/), which serves app.js over a real socket, sends it every case of
 * cases.js and prints what came back; here each case is one test per runtime and adapter.
 * A runtime that cannot start fails its tests with the reason; none is skipped.
 */
import { spawn } from 'node:child_process'
import { statSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { adaptersOf, cases, keyOf, pathOf, type Expected, type RuntimeCase } from './cases.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
const RUNNERS = 'test/runtimes/runners'
const MARKER = 'RUNTIME-RESULT '
const RUN_TIMEOUT = 60_000

interface CaseRecord {
  readonly status: number
  readonly headers: Record<string, string>
  readonly body: string
  readonly bodyBytes: number
  readonly nullBody: boolean
  readonly error?: string
}

interface Loaded {
  readonly exports: string[]
  readonly nodeImports: string[]
}

interface Report {
  readonly runtime: string
  readonly version: string
  readonly ms: number
  readonly results: Record<string, CaseRecord | undefined>
  readonly loads?: Record<string, Loaded | undefined>
  readonly app?: string[]
}

/** How each runtime runs its runner, from the repository root. */
const RUNTIMES = {
  node: [process.execPath, `${RUNNERS}/node.js`],
  bun: [
    'node_modules/.bin/bun',
    `--tsconfig-override=${RUNNERS}/bun.tsconfig.json`,
    `${RUNNERS}/bun.js`,
  ],
  deno: [
    'node_modules/.bin/deno',
    'run',
    '--no-lock',
    `--import-map=${RUNNERS}/import-map.json`,
    // The server and its client need the loopback; the package itself asks for nothing.
    '--allow-net=127.0.0.1',
    `${RUNNERS}/deno.js`,
  ],
  workerd: [process.execPath, `${RUNNERS}/workerd.js`],
} as const

type Runtime = keyof typeof RUNTIMES

/** Runs one runner to its end (killed, with its children, after RUN_TIMEOUT). */
function run(runtime: Runtime): Promise<Report> {
  const [command, ...args] = RUNTIMES[runtime]
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      detached: true, // its own process group, so a timeout also ends workerd under miniflare
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    }, RUN_TIMEOUT)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(new Error(`${runtime} did not start: ${command}: ${error.message}`))
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const line = stdout.split('\n').find((candidate) => candidate.startsWith(MARKER))
      if (code === 0 && line !== undefined) {
        resolve(JSON.parse(line.slice(MARKER.length)) as Report)
      } else {
        const ending = signal ?? `exit code ${String(code)}`
        reject(new Error(`${runtime} runner failed (${ending}):\n${stderr.slice(-4000)}`))
      }
    })
  })
}

type Outcome = { report: Report } | { failure: Error }

const outcomes = new Map<Runtime, Promise<Outcome>>()

beforeAll(() => {
  // All four at once: each is a second or two, workerd under miniflare about five.
  for (const runtime of Object.keys(RUNTIMES) as Runtime[]) {
    const outcome = run(runtime).then(
      (report) => ({ report }),
      (error: unknown) => ({ failure: error as Error }),
    )
    outcomes.set(runtime, outcome)
  }
})

async function reportOf(runtime: Runtime): Promise<Report> {
  const outcome = await outcomes.get(runtime)
  if (outcome === undefined) throw new Error(`${runtime} was never started`)
  if ('failure' in outcome) throw outcome.failure
  return outcome.report
}

/** The field values a case expects on one runtime and adapter, its `differs` applied. */
function fieldsExpected(expected: Expected, runtime: Runtime, adapter: string) {
  const fields: Record<string, string | null> = { ...expected.headers }
  for (const difference of expected.differs ?? []) {
    const applies = difference.adapter === undefined || difference.adapter === adapter
    if (difference.runtime === runtime && applies) Object.assign(fields, difference.headers)
  }
  return fields
}

function expectBody(record: CaseRecord, kase: RuntimeCase, adapter: string): void {
  const { expected } = kase
  if (expected.json !== undefined) {
    const json = JSON.parse(record.body) as Record<string, unknown>
    const path = pathOf(kase, adapter).split('?')[0]
    const instance = expected.json.instance === true ? { instance: path } : {}
    expect(json).toMatchObject({ ...expected.json, ...instance })
    for (const member of expected.absent ?? []) expect(json).not.toHaveProperty(member)
  }
  if (expected.text !== undefined) expect(record.body).toBe(expected.text)
  for (const part of expected.includes ?? []) expect(record.body).toContain(part)
  for (const part of expected.excludes ?? []) expect(record.body).not.toContain(part)
  if (expected.empty === true) expect(record.body).toBe('')
  if (expected.nullBody === true) expect(record.nullBody).toBe(true)
  // HEAD: the length GET's body would have (test/matrix compares it with GET's on Node).
  if (expected.getsLength === true) expect(record.headers['content-length']).toMatch(/^[1-9]\d*$/)
  if (expected.exactLength === true) {
    expect(record.headers['content-length']).toBe(String(record.bodyBytes))
  }
}

function expectCase(
  record: CaseRecord | undefined,
  kase: RuntimeCase,
  runtime: Runtime,
  adapter: string,
) {
  expect(record, 'the runner recorded no result').toBeDefined()
  if (record === undefined) return
  expect(record.error, 'the case threw in the runner').toBeUndefined()
  expect(record.status).toBe(kase.expected.status)
  expect(record.headers['content-type'] ?? null).toBe(kase.expected.contentType)
  for (const [name, value] of Object.entries(fieldsExpected(kase.expected, runtime, adapter))) {
    expect(record.headers[name] ?? null, name).toBe(value)
  }
  expectBody(record, kase, adapter)
}

/** The newest modification time under a folder, in ms. */
function newestUnder(folder: string): number {
  return Math.max(
    ...readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' }).map(
      (name) => statSync(join(ROOT, folder, name)).mtimeMs,
    ),
  )
}

it('runs on a dist/ built from the current sources (npm run build)', () => {
  const built = statSync(join(ROOT, 'dist/index.js')).mtimeMs
  const sources = Math.max(newestUnder('src'), newestUnder('adapters'), newestUnder('templates'))
  expect(built, 'dist/ is older than src/, adapters/ or templates/').toBeGreaterThanOrEqual(sources)
})

for (const runtime of Object.keys(RUNTIMES) as Runtime[]) {
  describe(runtime, { timeout: RUN_TIMEOUT + 5_000 }, () => {
    it('starts, serves and reports its version', async () => {
      const report = await reportOf(runtime)
      expect(report.runtime).toBe(runtime)
      expect(report.version).toMatch(/\d+\.\d+/)
      console.info(`${runtime} ${report.version}: every case in ${String(report.ms)} ms`)
    })

    for (const kase of cases) {
      for (const adapter of adaptersOf(kase)) {
        it(`${adapter}: ${kase.title}`, async () => {
          const report = await reportOf(runtime)
          expectCase(report.results[keyOf(adapter, kase)], kase, runtime, adapter)
        })
      }
    }
  })
}

describe('workerd without nodejs_compat', { timeout: RUN_TIMEOUT + 5_000 }, () => {
  it.each([
    ['index', ['NotFound', 'createFormatter', 'validationError']],
    ['client', ['MAX_BODY_LENGTH', 'parseProblem']],
    ['fetch', ['createResponder', 'toResponse']],
    ['hono', ['catchAll', 'errorHandler', 'notFound']],
  ])('loads dist/%s.js, which imports no Node built-in', async (entry, names) => {
    const report = await reportOf('workerd')
    const loaded = report.loads?.[entry]
    expect(loaded?.nodeImports).toEqual([])
    expect(loaded?.exports).toEqual(expect.arrayContaining(names))
  })

  it('runs the bundled app, which imports no Node built-in', async () => {
    const report = await reportOf('workerd')
    expect(report.app).toEqual([])
  })
})
