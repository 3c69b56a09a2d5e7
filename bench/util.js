// Shared by the benchmark parts: the request headers they send and Markdown output.
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

/** Chrome's Accept for a page navigation. */
export const BROWSER_ACCEPT =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8'
export const JSON_ACCEPT = 'application/json'
/** What an API client (axios, by default) sends. */
export const API_ACCEPT = 'application/json, text/plain, */*'
export const ACCEPT_LANGUAGE = 'en-US,en;q=0.9'

/** Whether the module at `url` is the script node was started with. */
export function isMain(url) {
  if (process.argv[1] === undefined) return false
  try {
    return realpathSync(fileURLToPath(url)) === realpathSync(process.argv[1])
  } catch {
    return false
  }
}

/** A ratio as `0.93×`. */
export function times(ratio) {
  return `${ratio.toFixed(2)}×`
}

/** A Markdown table. */
export function table(head, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n')
}

/**
 * A script's command line: its positional words, and the options it was given (`--name
 * value`), each converted by its entry in `types` (Number or String); options not given are
 * left out, so the script's own defaults apply.
 */
export function commandLine(types) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: Object.fromEntries(Object.keys(types).map((name) => [name, { type: 'string' }])),
  })
  const given = Object.entries(values).map(([name, text]) => [name, types[name](text)])
  return { positionals, options: Object.fromEntries(given) }
}

/**
 * The package's entry points, from package.json "exports" (read at run time, so new ones are
 * included): each one's import specifier ('errorshape', 'errorshape/express' …), its ESM file,
 * and whether that file is built. `peers` are the peer dependencies (the frameworks).
 */
export function packageEntries() {
  const root = new URL('../', import.meta.url)
  const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'))
  const entries = Object.entries(pkg.exports)
    .filter(([key]) => key !== './package.json')
    .map(([key, target]) => ({
      spec: key === '.' ? pkg.name : `${pkg.name}/${key.slice(2)}`,
      file: target.import.default,
      built: existsSync(new URL(target.import.default, root)),
    }))
  return { name: pkg.name, entries, peers: Object.keys(pkg.peerDependencies ?? {}) }
}
