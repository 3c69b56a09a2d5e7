/* global fetch, Request, AbortSignal, TextEncoder */
/**
 * Sends every case to an app and records what came back, as plain JSON for the test to
 * check. Runtime-neutral: only fetch, Request and Response, so each runtime runs it on its
 * own implementation of them.
 */
import { adaptersOf, cases, keyOf, pathOf } from './cases.js'

/** The Request of one case on one adapter, against the server at `baseUrl`. */
export function requestOf(baseUrl, kase, adapter) {
  const { method = 'GET', headers = {}, aborted = false } = kase.request ?? {}
  const init = { method, headers, redirect: 'manual' }
  if (aborted) init.signal = AbortSignal.abort()
  return new Request(new URL(pathOf(kase, adapter), baseUrl), init)
}

/** What the test reads of a Response: status, fields (lower-case names), body. */
export async function recordOf(response) {
  const nullBody = response.body === null
  const body = await response.text()
  return {
    status: response.status,
    headers: Object.fromEntries(response.headers),
    body,
    bodyBytes: new TextEncoder().encode(body).length,
    nullBody,
  }
}

/** A direct case: the Request handed to the app in this runtime, no socket. */
export async function runDirect(handle, baseUrl, kase, adapter) {
  return recordOf(await handle(requestOf(baseUrl, kase, adapter)))
}

/**
 * Runs every case on every adapter: socket cases over fetch to `baseUrl`, direct ones through
 * `direct(kase, adapter)`. A case that throws is recorded as `{ error }`, never lost.
 */
export async function runCases(baseUrl, direct) {
  const results = {}
  for (const kase of cases) {
    for (const adapter of adaptersOf(kase)) {
      try {
        results[keyOf(adapter, kase)] =
          kase.via === 'direct'
            ? await direct(kase, adapter)
            : await recordOf(await fetch(requestOf(baseUrl, kase, adapter)))
      } catch (error) {
        results[keyOf(adapter, kase)] = { error: String(error?.stack ?? error) }
      }
    }
  }
  return results
}

/** The one line a runner prints: the marker, then its report as JSON. */
export function reportLine(report) {
  return `RUNTIME-RESULT ${JSON.stringify(report)}`
}
