// Import time of each entry point of the package (read from package.json "exports"), against
// http-errors: each import is timed in a fresh `node` process, round after round (every entry
// once per round), and the median is reported. `node bench/imports.js [runs]` runs it alone.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { frameworksImported } from './bundle.js'
import { median } from './compare.js'
import { isMain, packageEntries, table, times } from './util.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))

// Each child loads, untimed, the same modules first, then prints how long loading `spec`
// took, in milliseconds. First an empty file module: Node sets up the loader and the internals
// it reads files with on a process's first load (a fixed cost, the same for any module). Then
// the frameworks the entries import: an app has its framework loaded anyway.
const SCRIPTS = {
  import: (spec, first) =>
    `${first.map((name) => `await import(${JSON.stringify(name)});`).join(' ')} const t = performance.now(); await import(${JSON.stringify(spec)}); process.stdout.write(String(performance.now() - t))`,
  require: (spec, first) =>
    `${first.map((name) => `require(${JSON.stringify(name)});`).join(' ')} const t = performance.now(); require(${JSON.stringify(spec)}); process.stdout.write(String(performance.now() - t))`,
}

/**
 * One fresh process importing (or requiring) `spec` after `first`: milliseconds. A failure is
 * tried again twice, a few seconds apart: a build running meanwhile empties dist/ for a moment.
 */
function timeOnce(spec, kind, first, attempts = 3) {
  const args = kind === 'import' ? ['--input-type=module', '-e'] : ['-e']
  const child = spawnSync(process.execPath, [...args, SCRIPTS[kind](spec, first)], {
    cwd: ROOT, // where 'errorshape' resolves to this package (a package's self-reference)
    encoding: 'utf8',
  })
  if (child.status === 0) return Number(child.stdout)
  if (attempts <= 1) throw new Error(`${kind} ${spec} failed: ${child.stderr}`)
  console.error(`  ${kind} ${spec} failed; trying again in 5 s`)
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000) // sleep 5 s
  return timeOnce(spec, kind, first, attempts - 1)
}

/** The frameworks any built entry point imports when it is loaded. */
async function frameworksOf(entries, peers) {
  const names = new Set()
  for (const { file } of entries) {
    for (const name of await frameworksImported(file, peers)) names.add(name)
  }
  return [...names]
}

/**
 * Median milliseconds of each built entry point and of http-errors, imported and required,
 * each once per run, in fresh processes that load the same modules first.
 */
export async function benchImports({ runs = 5 } = {}) {
  const { entries, peers } = packageEntries()
  const built = entries.filter((entry) => entry.built)
  const frameworks = await frameworksOf(built, peers)
  const dir = mkdtempSync(join(tmpdir(), 'errorshape-imports-'))
  try {
    writeFileSync(join(dir, 'empty.mjs'), 'export {}\n')
    writeFileSync(join(dir, 'empty.cjs'), '\n')
    const first = {
      import: [pathToFileURL(join(dir, 'empty.mjs')).href, ...frameworks],
      require: [join(dir, 'empty.cjs'), ...frameworks],
    }
    const subjects = [...built.map(({ spec }) => spec), 'http-errors'].map((spec) => ({
      spec,
      import: [],
      require: [],
    }))
    for (let run = 0; run < runs; run++) {
      for (const subject of subjects) {
        for (const kind of ['import', 'require']) {
          subject[kind].push(timeOnce(subject.spec, kind, first[kind]))
        }
      }
    }
    return {
      frameworks,
      results: subjects.map(({ spec, ...samples }) => ({
        spec,
        import: median(samples.import),
        require: median(samples.require),
      })),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function importsTable({ frameworks, results }) {
  const reference = results.find(({ spec }) => spec === 'http-errors')
  const also = frameworks.length === 0 ? '' : ` and ${frameworks.join(', ')}`
  return `${table(
    ['entry point', 'import', '÷ http-errors', 'require', '÷ http-errors'],
    results.map((row) => [
      `\`${row.spec}\``,
      `${row.import.toFixed(1)} ms`,
      times(row.import / reference.import),
      `${row.require.toFixed(1)} ms`,
      times(row.require / reference.require),
    ]),
  )}\n\nEach process loaded an empty module${also} first, untimed.`
}

if (isMain(import.meta.url)) {
  console.log(importsTable(await benchImports({ runs: Number(process.argv[2] ?? 5) })))
}
