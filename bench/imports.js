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
// the frameworks that entry point imports (an app has its framework loaded anyway), and only
// those: loading every framework in every process made this part take minutes.
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

/**
 * Median milliseconds of each built entry point and of http-errors, imported and required,
 * each once per run, in fresh processes that load the same modules first: an empty module and
 * the frameworks the entry point imports.
 */
export async function benchImports({ runs = 5 } = {}) {
  const { entries, peers } = packageEntries()
  const built = entries.filter((entry) => entry.built)
  const dir = mkdtempSync(join(tmpdir(), 'errorshape-imports-'))
  try {
    writeFileSync(join(dir, 'empty.mjs'), 'export {}\n')
    writeFileSync(join(dir, 'empty.cjs'), '\n')
    const empty = {
      import: pathToFileURL(join(dir, 'empty.mjs')).href,
      require: join(dir, 'empty.cjs'),
    }
    const entriesAndReference = [
      ...built.map(({ spec, file }) => ({ spec, file })),
      { spec: 'http-errors', file: undefined },
    ]
    const subjects = []
    for (const { spec, file } of entriesAndReference) {
      const frameworks = file === undefined ? [] : await frameworksImported(file, peers)
      subjects.push({ spec, frameworks, import: [], require: [] })
    }
    for (let run = 0; run < runs; run++) {
      for (const subject of subjects) {
        for (const kind of ['import', 'require']) {
          subject[kind].push(timeOnce(subject.spec, kind, [empty[kind], ...subject.frameworks]))
        }
      }
    }
    return {
      results: subjects.map(({ spec, frameworks, ...samples }) => ({
        spec,
        frameworks,
        import: median(samples.import),
        require: median(samples.require),
      })),
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function importsTable({ results }) {
  const reference = results.find(({ spec }) => spec === 'http-errors')
  return `${table(
    ['entry point', 'import', '÷ http-errors', 'require', '÷ http-errors', 'loaded first, untimed'],
    results.map((row) => [
      `\`${row.spec}\``,
      `${row.import.toFixed(1)} ms`,
      times(row.import / reference.import),
      `${row.require.toFixed(1)} ms`,
      times(row.require / reference.require),
      ['an empty module', ...row.frameworks].join(', '),
    ]),
  )}\n\nEach process loaded an empty module first, and the frameworks the entry point imports, untimed.`
}

if (isMain(import.meta.url)) {
  console.log(importsTable(await benchImports({ runs: Number(process.argv[2] ?? 5) })))
}
