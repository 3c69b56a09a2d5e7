// Summarizes a V8 CPU profile (`node --cpu-prof`): the functions with the most self time.
// node tools/profile-summary.js <file.cpuprofile> [top=25]
import { readFileSync } from 'node:fs'
import { isMain, table } from '../bench/util.js'

/** A file name short enough to read: a package's own path, or the path in this project. */
function shortFile(url) {
  const file = url.replace(/^file:\/\//, '')
  const inPackage = file.lastIndexOf('/node_modules/')
  if (inPackage >= 0) return file.slice(inPackage + '/node_modules/'.length)
  const cwd = `${process.cwd()}/`
  return file.startsWith(cwd) ? file.slice(cwd.length) : file
}

/** Self time per function (name, file, line), largest first, as shares of all samples. */
export function summarizeProfile(profile, top = 25) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const hits = new Map()
  const files = new Map()
  // Time between samples is attributed to the sample's node: that is its self time.
  const deltas = profile.timeDeltas ?? []
  let total = 0
  profile.samples.forEach((id, index) => {
    const node = byId.get(id)
    const { functionName, url, lineNumber } = node.callFrame
    const key = `${functionName || '(anonymous)'} ${shortFile(url)}:${lineNumber + 1}`
    const us = deltas[index + 1] ?? 0
    hits.set(key, (hits.get(key) ?? 0) + us)
    const file = shortFile(url).replace(/^((?:@[^/]+\/)?[^/]+)\/.*$/, '$1') || '(V8 and native)'
    files.set(file, (files.get(file) ?? 0) + us)
    total += us
  })
  const rank = (map, count) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, us]) => ({ name, ms: us / 1000, share: us / total }))
  const rows = rank(hits, top)
  // Self time per package (or top-level folder here: dist/ is errorshape's build).
  rows.byPackage = rank(files, 12)
  return rows
}

/** The rows as a Markdown table; with `requests`, self time per request too. */
export function profileTable(rows, requests) {
  return table(
    ['self time', 'share', ...(requests ? ['per request'] : []), 'function'],
    rows.map(({ name, ms, share }) => [
      `${ms.toFixed(0)} ms`,
      `${(share * 100).toFixed(1)}%`,
      ...(requests ? [`${((ms * 1000) / requests).toFixed(1)} µs`] : []),
      `\`${name}\``,
    ]),
  )
}

if (isMain(import.meta.url)) {
  const [file, top = '25'] = process.argv.slice(2)
  if (file === undefined) {
    console.error('usage: node tools/profile-summary.js <file.cpuprofile> [top]')
    process.exit(2)
  }
  const rows = summarizeProfile(JSON.parse(readFileSync(file, 'utf8')), Number(top))
  console.log(`${profileTable(rows)}\n\n${profileTable(rows.byPackage)}`)
}
