// Shaping one error (construction excluded): errorshape's formatter vs a naive handler (a new
// Negotiator per request, JSON.stringify, a header object) vs JSON.stringify alone (the floor).
import Negotiator from 'negotiator'
import { createFormatter, NotFound } from 'errorshape'

const BROWSER =
  'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8'
const JSON_ACCEPT = 'application/json'
const OFFERS = ['application/problem+json', 'application/json', 'text/html', 'text/plain']

export function naiveHandler(error, request) {
  const negotiator = new Negotiator(request)
  const type = negotiator.mediaType(OFFERS) ?? OFFERS[0]
  const body = JSON.stringify({
    type: 'about:blank',
    title: 'Not Found',
    status: error.status,
    detail: error.message,
    instance: request.url,
  })
  return {
    status: error.status,
    headers: { 'content-type': type, 'content-length': Buffer.byteLength(body) },
    body,
  }
}

function measure(fn, rounds) {
  const start = process.hrtime.bigint()
  for (let i = 0; i < rounds; i++) fn()
  return Number(process.hrtime.bigint() - start) / rounds
}

/** Median ns per call of each candidate, interleaved A B C A B C … to share the noise. */
export function compare(candidates, { rounds = 20_000, repeats = 15 } = {}) {
  const samples = candidates.map(() => [])
  for (const [, fn] of candidates) measure(fn, rounds) // warm up
  for (let r = 0; r < repeats; r++) {
    candidates.forEach(([, fn], index) => samples[index].push(measure(fn, rounds)))
  }
  return candidates.map(([name], index) => {
    const sorted = samples[index].sort((a, b) => a - b)
    return { name, ns: sorted[Math.floor(sorted.length / 2)] }
  })
}

export function benchShaping() {
  const format = createFormatter()
  const error = new NotFound('No user 42')
  const results = []
  for (const [label, accept] of [
    ['browser Accept', BROWSER],
    ['Accept: application/json', JSON_ACCEPT],
  ]) {
    const request = {
      method: 'GET',
      url: '/users/42',
      headers: { accept, 'accept-language': 'en-US,en;q=0.9' },
    }
    const problem = {
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: error.message,
      instance: '/users/42',
    }
    const rows = compare([
      ['errorshape', () => format(error, request)],
      ['naive handler', () => naiveHandler(error, request)],
      ['JSON.stringify (floor)', () => JSON.stringify(problem)],
    ])
    results.push({ label, rows })
  }
  return results
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { label, rows } of benchShaping()) {
    console.log(`\n${label}`)
    const naive = rows[1].ns
    for (const { name, ns } of rows)
      console.log(
        `  ${name.padEnd(24)} ${ns.toFixed(0).padStart(6)} ns  ${(ns / naive).toFixed(2)}× naive`,
      )
  }
}
