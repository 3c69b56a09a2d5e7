// HTML from a function template against the built-in page: one formatter each, the same
// request (Accept: text/html), shape only (no network). `node bench/template.js` runs it alone.
import { createFormatter, escapeHtml, NotFound } from 'errorshape'
import { compare } from './compare.js'
import { ACCEPT_LANGUAGE, isMain, table, times } from './util.js'

// A page as an app would write one: a style block, the status, title, detail, description.
const STYLE = `:root{color-scheme:light dark;--accent:#b42318}
body{margin:0;min-height:100vh;display:grid;place-items:center;font:16px/1.6 system-ui,sans-serif}
main{max-width:40rem;padding:2rem;border:1px solid #8884;border-radius:12px}
.status{margin:0;font-weight:600;letter-spacing:.08em;color:var(--accent)}
h1{margin:.25rem 0 1rem;font-size:1.75rem;line-height:1.25}
.detail{font-size:1.1rem;overflow-wrap:anywhere}
.description{opacity:.8}`

/** The function template timed here. */
export function appTemplate(problem, { lang, description }) {
  const detail =
    problem.detail === undefined ? '' : `<p class="detail">${escapeHtml(problem.detail)}</p>`
  return `<!doctype html>
<html lang="${escapeHtml(lang)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${problem.status} ${escapeHtml(problem.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<p class="status">${problem.status}</p>
<h1>${escapeHtml(problem.title)}</h1>
${detail}
<p class="description">${escapeHtml(description)}</p>
</main>
</body>
</html>`
}

const PROBLEM = { type: 'about:blank', title: 'Not Found', status: 404, instance: '/users/42' }
const DESCRIPTION = 'The server cannot find the requested resource.'

// More distinct messages than the body cache holds (256): every call renders afresh.
const DISTINCT = 4096

/** Median ns per shaped error of each formatter, for the same error and for new messages. */
export function benchTemplate(timing = {}) {
  const builtIn = createFormatter()
  const custom = createFormatter({ templates: { error: appTemplate } })
  const request = {
    method: 'GET',
    url: '/users/42',
    headers: { accept: 'text/html', 'accept-language': ACCEPT_LANGUAGE },
  }
  const same = new NotFound('No user 42')
  const distinct = Array.from({ length: DISTINCT }, (_, i) => new NotFound(`No user ${i}`))
  // The template function called by itself, with what the formatter hands it (made up
  // front): the app's own share of the function template's time.
  const context = { lang: 'en', mediaType: 'text/html', description: DESCRIPTION, request }
  const problemOf = ({ message }) => ({ ...PROBLEM, detail: message })
  const sameProblem = problemOf(same)
  const distinctProblems = distinct.map(problemOf)
  let k = 0
  const cases = [
    ['the same error each call', () => same, () => sameProblem, false],
    [
      'a new message each call',
      () => distinct[k++ & (DISTINCT - 1)],
      () => distinctProblems[k++ & (DISTINCT - 1)],
      true,
    ],
  ]
  return cases.map(([label, next, nextProblem, judged]) => {
    const [ours, theirs, alone] = compare(
      [
        ['built-in page', () => builtIn(next(), request)],
        ['function template', () => custom(next(), request)],
        ['the template function alone', () => appTemplate(nextProblem(), context)],
      ],
      timing,
    )
    const bytes = (format) => Buffer.byteLength(format(same, request).body)
    return {
      label,
      judged,
      builtIn: ours.ns,
      custom: theirs.ns,
      alone: alone.ns,
      bytes: [bytes(builtIn), bytes(custom)],
    }
  })
}

/**
 * The target: the function template costs at most 1.5× the built-in page when both render.
 * For the same error again the built-in page's formatter answers from its last response,
 * which no function template can be given (the function is called for every error, as an
 * app expects, and may read anything), so that row is shown, not judged: the function alone
 * costs half of that cached answer or more.
 */
export function templateTargets(results) {
  return results
    .filter(({ judged }) => judged)
    .map(({ label, builtIn, custom }) => ({
      target: `HTML: a function template ≤ 1.5× the built-in page (${label})`,
      measured: `${times(custom / builtIn)} (${custom.toFixed(0)} ns against ${builtIn.toFixed(0)} ns)`,
      met: custom / builtIn <= 1.5,
    }))
}

export function templateTable(results) {
  return table(
    [
      'case',
      'built-in page',
      'function template',
      'template ÷ built-in',
      'the function alone',
      'page sizes',
    ],
    results.map(({ label, builtIn, custom, alone, bytes }) => [
      label,
      `${builtIn.toFixed(0)} ns`,
      `${custom.toFixed(0)} ns`,
      times(custom / builtIn),
      `${alone.toFixed(0)} ns`,
      `${bytes[0]} B, ${bytes[1]} B`,
    ]),
  )
}

if (isMain(import.meta.url)) {
  console.log(templateTable(benchTemplate()))
}
