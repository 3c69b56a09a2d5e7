/**
 * The RFC 9457 problem document every format renders from, and the JSON-safe copy of
 * application data (extensions, errors) that goes into it.
 */
import type { ProblemItem } from '../errors.js'
import { readProperty } from '../normalize.js'
import type { DebugInfo, ProblemDocument } from '../types.js'

/** Limits on what is rendered: a 1 MB message or a huge extension stays bounded. */
export const LIMITS = { text: 4096, items: 100, keys: 50, depth: 6, causes: 10 } as const

/** A string cut to `LIMITS.text` characters (never through a surrogate pair). */
export function clip(text: string, limit: number = LIMITS.text): string {
  if (text.length <= limit) return text
  let end = limit
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end -= 1
  return `${text.slice(0, end)}…`
}

// RFC 9457 §3.2: extension names start with a letter; ALPHA, DIGIT and "_"; three or more.
const EXTENSION_NAME = /^[A-Za-z][A-Za-z0-9_]{2,}$/
/** The members RFC 9457 and errorshape define; every other member is an extension. */
export const PROBLEM_MEMBERS: ReadonlySet<string> = new Set([
  'type',
  'title',
  'status',
  'detail',
  'instance',
  'errors',
  'code',
  'debug',
])
/** Names extensions can never take: the members, and names unsafe for clients that merge objects. */
const RESERVED = new Set([...PROBLEM_MEMBERS, 'constructor', 'prototype'])

/** Whether an extension name may be rendered. */
export function isExtensionName(name: string): boolean {
  return EXTENSION_NAME.test(name) && !RESERVED.has(name)
}

/**
 * A JSON-safe copy of application data: cycles, functions, symbols and throwing getters left
 * out, BigInts as strings, non-finite numbers as null, strings clipped, sizes bounded.
 * Objects come out with a null prototype, so a `__proto__` key stays a plain member.
 */
export function toJsonValue(value: unknown, depth = 0, seen = new Set<object>()): unknown {
  switch (typeof value) {
    case 'string':
      return clip(value)
    case 'number':
      return Number.isFinite(value) ? value : null
    case 'boolean':
      return value
    case 'bigint':
      return value.toString()
    case 'object':
      break
    default:
      return undefined // undefined, functions and symbols have no JSON form
  }
  if (value === null) return null
  if (depth >= LIMITS.depth || seen.has(value)) return undefined
  if (value instanceof Date) {
    return Number.isFinite(value.getTime()) ? value.toISOString() : null
  }
  seen.add(value)
  try {
    if (Array.isArray(value)) {
      const items: unknown[] = []
      const length = Math.min(value.length, LIMITS.items)
      for (let index = 0; index < length; index++) {
        const item = toJsonValue(readProperty(value, index), depth + 1, seen)
        items.push(item === undefined ? null : item)
      }
      return items
    }
    const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    let keys: string[]
    try {
      keys = Object.keys(value)
    } catch {
      return undefined
    }
    for (const key of keys.slice(0, LIMITS.keys)) {
      const item = toJsonValue(readProperty(value, key), depth + 1, seen)
      if (item !== undefined) copy[key] = item
    }
    return copy
  } finally {
    seen.delete(value)
  }
}

/** The `errors` member: only items that are objects, each made JSON-safe. */
export function toProblemItems(errors: readonly unknown[]): ProblemItem[] {
  const items: ProblemItem[] = []
  const length = Math.min(errors.length, LIMITS.items)
  for (let index = 0; index < length; index++) {
    const item = toJsonValue(readProperty(errors, index), 1)
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      items.push(item as ProblemItem)
    }
  }
  return items
}

function describeThrown(value: unknown): { name: string; message: string; stack?: string } {
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
    const name = readProperty(value, 'name')
    const message = readProperty(value, 'message')
    const stack = readProperty(value, 'stack')
    return {
      name: typeof name === 'string' ? clip(name, 200) : 'Error',
      message: typeof message === 'string' ? clip(message) : '',
      ...(typeof stack === 'string' ? { stack: clip(stack, LIMITS.text * 4) } : {}),
    }
  }
  let text: string
  try {
    text = typeof value === 'symbol' ? value.toString() : String(value)
  } catch {
    text = typeof value
  }
  return { name: 'NonError', message: clip(text) }
}

/**
 * The stack and cause chain of a thrown value, for debug output: each cause's name, message
 * and stack, outermost first, cycles cut.
 */
export function collectDebugInfo(thrown: unknown): DebugInfo {
  const causes: { name: string; message: string; stack?: string }[] = []
  const seen = new Set<unknown>([thrown])
  let current = readProperty(thrown, 'cause')
  while (current !== undefined && causes.length < LIMITS.causes && !seen.has(current)) {
    seen.add(current)
    causes.push(describeThrown(current))
    current = readProperty(current, 'cause')
  }
  return { ...describeThrown(thrown), causes }
}

/** The members of a problem document, before extensions. */
export interface ProblemMembers {
  type: string
  title: string
  status: number
  detail: string | undefined
  instance: string | undefined
  errors: readonly unknown[] | undefined
  code: string | undefined
  extensions: Readonly<Record<string, unknown>> | undefined
  debug: DebugInfo | undefined
}

/**
 * `JSON.stringify(buildProblem(members))` for a problem of the standard members only (no
 * errors, code, extensions or debug), written directly: no document object is built, and it
 * takes about two thirds of the time. `status` is an integer.
 *
 * @example
 * stringifyPlainProblem('about:blank', 'Not Found', 404, 'No user 42', '/users/42')
 * // '{"type":"about:blank","title":"Not Found","status":404,"detail":"No user 42","instance":"/users/42"}'
 */
export function stringifyPlainProblem(
  type: string,
  title: string,
  status: number,
  detail: string | undefined,
  instance: string | undefined,
): string {
  let json = `{"type":${quoteJson(type)},"title":${quoteJson(clip(title))},"status":${status}`
  if (detail !== undefined) json += `,"detail":${quoteJson(clip(detail))}`
  if (instance !== undefined) json += `,"instance":${quoteJson(instance)}`
  return `${json}}`
}

// Characters JSON.stringify escapes in a string: `"`, `\`, controls and (lone) surrogates.
const JSON_ESCAPED = /["\\\x00-\x1f\ud800-\udfff]/

/** `JSON.stringify(text)`; a string with nothing to escape is only quoted, which is faster. */
function quoteJson(text: string): string {
  return JSON_ESCAPED.test(text) ? JSON.stringify(text) : `"${text}"`
}

/**
 * The problem document in RFC 9457 member order: type, title, status, detail, instance, then
 * errors, code, extensions (which never replace a member) and debug.
 */
export function buildProblem(members: ProblemMembers): ProblemDocument {
  const problem: Record<string, unknown> = {
    type: members.type,
    title: clip(members.title),
    status: members.status,
  }
  if (members.detail !== undefined) problem.detail = clip(members.detail)
  if (members.instance !== undefined) problem.instance = members.instance
  if (members.errors !== undefined) problem.errors = toProblemItems(members.errors)
  if (members.code !== undefined) problem.code = clip(members.code, 200)
  if (members.extensions !== undefined) {
    let names: string[] = []
    try {
      names = Object.keys(members.extensions)
    } catch {
      // a hostile Proxy: no extensions
    }
    for (const name of names.slice(0, LIMITS.keys)) {
      if (!isExtensionName(name)) continue
      const value = toJsonValue(readProperty(members.extensions, name), 1)
      if (value !== undefined) problem[name] = value
    }
  }
  if (members.debug !== undefined) problem.debug = members.debug
  return problem as ProblemDocument
}
