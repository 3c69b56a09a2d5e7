// Memory under hostile headers: 1,000,000 shaped errors, each with an Accept and an
// Accept-Language never seen before, through one formatter. The heap
// after a full GC must stay flat: every cache in the formatter is bounded.
// `node tools/memory.js [count]` runs this part alone (it restarts itself with --expose-gc).
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createFormatter, NotFound } from 'errorshape'
import { isMain, table } from '../bench/util.js'

const MEDIA = ['application/json', 'application/problem+json', 'text/html', 'text/plain', '*/*']
const LANGUAGES = ['en', 'en-US', 'zh-CN', 'zh', 'fr', 'de-CH', '*']

/** A small deterministic PRNG (xorshift32), so every run sends the same headers. */
function random(seed) {
  let state = seed
  return () => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 2 ** 32
  }
}

function pick(next, list) {
  return list[Math.floor(next() * list.length)]
}

const MB = 1024 * 1024

function heapAfterGc() {
  globalThis.gc()
  globalThis.gc()
  return process.memoryUsage().heapUsed
}

/** Shapes `count` errors with distinct headers; heap used after a full GC at checkpoints. */
export function measureMemory(count = 1_000_000) {
  const format = createFormatter()
  const next = random(0x9e3779b9)
  const requestFor = (i) => ({
    method: 'GET',
    url: `/items/${i}`,
    headers: {
      // Distinct on every call: a made-up media type and language subtag carry the counter.
      accept: `application/x-${i.toString(36)}+json;q=0.9, ${pick(next, MEDIA)};q=0.${1 + Math.floor(next() * 8)}, */*;q=0.1`,
      'accept-language': `${pick(next, LANGUAGES)}-x${i.toString(36)};q=0.9, ${pick(next, LANGUAGES)};q=0.5`,
    },
  })
  // Errors with 4096 distinct messages (more than the body cache holds), made up front: the
  // time goes to shaping, not to capturing stack traces.
  const errors = Array.from({ length: 4096 }, (_, i) => new NotFound(`No item ${i}`))
  for (let i = 0; i < 10_000; i++) format(errors[i & 4095], requestFor(i))
  const checkpoints = [{ shaped: 0, heap: heapAfterGc() }]
  const step = count / 4
  const start = process.hrtime.bigint()
  for (let i = 0; i < count; i++) {
    format(errors[i & 4095], requestFor(i))
    if ((i + 1) % step === 0) checkpoints.push({ shaped: i + 1, heap: heapAfterGc() })
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  return { count, seconds, checkpoints }
}

/** Runs `measureMemory` in a child process with --expose-gc. */
export function benchMemory(count = 1_000_000) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--child', String(count)], {
      execArgv: ['--expose-gc'],
    })
    child.once('message', resolve)
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`the memory benchmark exited with ${code}`))
    })
  })
}

/** Growth allowed: the caches' bounds (256 negotiations each, 256 bodies) plus slack. */
export const BOUND = 8 * MB

export function memoryTable({ count, seconds, checkpoints }) {
  const first = checkpoints[0].heap
  const growth = checkpoints.at(-1).heap - first
  return [
    table(
      ['errors shaped', 'heap used after GC', 'growth'],
      checkpoints.map(({ shaped, heap }) => [
        shaped.toLocaleString('en-US'),
        `${(heap / MB).toFixed(2)} MB`,
        `${((heap - first) / MB).toFixed(2)} MB`,
      ]),
    ),
    '',
    `${count.toLocaleString('en-US')} errors with distinct Accept and Accept-Language headers in ${seconds.toFixed(1)} s; ` +
      `growth ${(growth / MB).toFixed(2)} MB, ${growth <= BOUND ? 'within' : '**over**'} the ${BOUND / MB} MB bound.`,
  ].join('\n')
}

if (process.argv[2] === '--child') {
  process.send(measureMemory(Number(process.argv[3])), () => process.exit(0))
} else if (isMain(import.meta.url)) {
  console.log(memoryTable(await benchMemory(Number(process.argv[2] ?? 1_000_000))))
}
