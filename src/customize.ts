/**
 * The members of one response's problem beyond what the error says: the request's trace and
 * request ids, and what the app's `customize` hook returned, checked like any member before
 * it is rendered. The hook is the app's code and runs per request: nothing it returns can
 * change the status or the header fields, or give an RFC 9457 member the wrong type.
 */
import { LIMITS } from './limits.js'
import {
  buildProblem,
  isExtensionName,
  type CopyBudget,
  type ProblemMembers,
} from './render/problem.js'
import { isQuotableId } from './trace.js'
import { formatUri } from './uri.js'

/** The members of one response's problem: what the error gave, and its request's ids. */
export interface ResponseMembers extends ProblemMembers {
  traceId: string | undefined
  requestId: string | undefined
}

const STANDARD = ['type', 'title', 'status', 'detail', 'instance'] as const

/**
 * The problem document of `members`, its data copied within `state` (buildProblem): the
 * RFC 9457 members, then `traceId` and `requestId`, then `errors`, `code`, the extensions and
 * `debug`. The request's ids win over an error's own extension of the same name.
 *
 * @example
 * buildResponseProblem({ ...members, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }, dataBudget())
 * // { type: 'about:blank', title: 'Not Found', status: 404, traceId: '4bf9…', … }
 */
export function buildResponseProblem(
  members: ResponseMembers,
  state: CopyBudget,
): Record<string, unknown> {
  const problem = buildProblem(members, state) as Record<string, unknown>
  const { traceId, requestId } = members
  if (traceId === undefined && requestId === undefined) return problem
  const ordered: Record<string, unknown> = {}
  for (const name of STANDARD) if (Object.hasOwn(problem, name)) ordered[name] = problem[name]
  if (traceId !== undefined) ordered.traceId = traceId
  if (requestId !== undefined) ordered.requestId = requestId
  for (const name of Object.keys(problem)) {
    if (!Object.hasOwn(ordered, name)) ordered[name] = problem[name]
  }
  return ordered
}

/** What the hook's result says of one member it may set: the value to send, or INVALID. */
type Check = (value: unknown) => unknown
const INVALID = Symbol('invalid')

function isArray(value: unknown): boolean {
  try {
    return Array.isArray(value)
  } catch {
    return false // a revoked Proxy
  }
}

const asString: Check = (value) => (typeof value === 'string' ? value : INVALID)
const asUri: Check = (value) =>
  typeof value === 'string' ? (formatUri(value) ?? INVALID) : INVALID
const asId: Check = (value) => (isQuotableId(value) ? value : INVALID)

/**
 * The members the hook may set besides extensions, each with its type: `type` a URI
 * reference (RFC 9457 §3.1.1), `title` and `detail` strings, `instance` a URI reference,
 * `errors` a list, `code` a string, the ids quotable strings (trace.ts).
 */
const CHECKS = new Map<string, Check>([
  ['type', asUri],
  ['title', asString],
  ['detail', asString],
  ['instance', asUri],
  ['errors', (value) => (isArray(value) ? value : INVALID)],
  ['code', asString],
  ['traceId', asId],
  ['requestId', asId],
])
/** The members a problem always has: removing them keeps them. */
const REQUIRED = new Set(['type', 'title'])

/** The members read of a result: the RFC 9457 ones, errorshape's, and LIMITS.keys extensions. */
const MAX_RESULT_KEYS = CHECKS.size + 1 + LIMITS.keys

/** What checking a hook's result found. */
export interface CheckedResult {
  readonly members: ResponseMembers
  /** Members left out: a wrong type, a reserved or invalid name, a value that threw. */
  readonly dropped: readonly string[]
  /** Members past MAX_RESULT_KEYS, left out unread. */
  readonly overflow: number
  /** Whether the result removed `status` or gave another one (ignored). */
  readonly statusChanged: boolean
}

/**
 * The members of what `customize` returned, checked against those it was given (`before`):
 * a member of the wrong type keeps its value from `before`; `type` and `title` removed stay;
 * `status` is always `before.status`; other members removed are removed; extensions are those
 * of the result with RFC 9457 names (copied within the data budget when rendered).
 * `undefined` when the result is a list, or its member names cannot be read (a Proxy whose
 * trap throws).
 *
 * @example
 * checkCustomized({ ...given, status: 200, tenant: 'acme' }, members)
 * // { members: { …, status: 404, extensions: { tenant: 'acme' } }, dropped: [], overflow: 0, statusChanged: true }
 */
export function checkCustomized(
  result: object,
  before: ResponseMembers,
): CheckedResult | undefined {
  let keys: string[]
  try {
    if (Array.isArray(result)) return undefined
    keys = Object.keys(result)
  } catch {
    return undefined // a revoked Proxy, or one whose ownKeys trap throws
  }
  const fields = new Map<string, unknown>([
    ['type', before.type],
    ['title', before.title],
  ])
  const extensions: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  const dropped: string[] = []
  let statusChanged = true
  let hasExtensions = false
  for (const key of keys.slice(0, MAX_RESULT_KEYS)) {
    let value: unknown
    try {
      value = (result as Record<string, unknown>)[key]
    } catch {
      dropped.push(key)
      continue
    }
    const check = CHECKS.get(key)
    if (key === 'status') {
      statusChanged = value !== before.status
    } else if (check !== undefined) {
      if (value === undefined && !REQUIRED.has(key)) continue // removed
      // What it was given back unchanged was checked already (the usual `{ ...problem }`).
      const checked = value === before[key as keyof ResponseMembers] ? value : check(value)
      if (checked === INVALID) dropped.push(key)
      fields.set(key, checked === INVALID ? before[key as keyof ResponseMembers] : checked)
    } else if (isExtensionName(key)) {
      if (value === undefined) continue
      extensions[key] = value
      hasExtensions = true
    } else {
      dropped.push(key) // `debug`, or no RFC 9457 extension name (RFC 9457 §3.2)
    }
  }
  const text = (name: string) => fields.get(name) as string | undefined
  const members: ResponseMembers = {
    type: text('type') ?? before.type,
    title: text('title') ?? before.title,
    status: before.status,
    detail: text('detail'),
    instance: text('instance'),
    errors: fields.get('errors') as readonly unknown[] | undefined,
    code: text('code'),
    extensions: hasExtensions ? extensions : undefined,
    debug: undefined,
    traceId: text('traceId'),
    requestId: text('requestId'),
  }
  const overflow = Math.max(0, keys.length - MAX_RESULT_KEYS)
  return { members, dropped, overflow, statusChanged }
}
