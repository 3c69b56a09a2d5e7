/**
 * The RFC 9457 problem document every format renders from, and the JSON-safe copy of
 * application data (extensions, errors) that goes into it.
 */
import type { ProblemItem } from '../errors.js'
import { LIMITS } from '../limits.js'
import { readProperty } from '../normalize.js'
import { PROBLEM_MEMBERS } from '../problem-members.js'
import type { DebugInfo, ProblemDocument } from '../types.js'

export { PROBLEM_MEMBERS } from '../problem-members.js'

/** A string cut to `limit` characters (never through a surrogate pair), with an ellipsis. */
export function clip(text: string, limit: number = LIMITS.text): string {
  if (text.length <= limit) return text
  let end = limit
  const code = text.charCodeAt(end - 1)
  if (code >= 0xd800 && code <= 0xdbff) end -= 1
  return `${text.slice(0, end)}…`
}

// RFC 9457 §3.2: extension names start with a letter; ALPHA, DIGIT and "_"; three or more.
const EXTENSION_NAME = /^[A-Za-z][A-Za-z0-9_]{2,}$/
/** Names extensions can never take: the members, and names unsafe for clients that merge objects. */
const RESERVED = new Set([...PROBLEM_MEMBERS, 'constructor', 'prototype'])

/** Whether an extension name may be rendered. */
export function isExtensionName(name: string): boolean {
  return EXTENSION_NAME.test(name) && !RESERVED.has(name)
}

/**
 * What one problem's structured data may still take: `budget` counts every value copied (1
 * each) plus the characters of its strings and member names, so the whole copy is bounded
 * whatever its shape (100 items at each of 6 levels would otherwise be 10¹² values).
 * `dropped` says that something could not be read or did not fit.
 */
export interface CopyBudget {
  budget: number
  dropped: boolean
}

/** A fresh budget for one problem's `errors` and extensions together. */
export function dataBudget(): CopyBudget {
  return { budget: LIMITS.data, dropped: false }
}

function spend(state: CopyBudget, cost: number): boolean {
  state.budget -= cost
  if (state.budget >= 0) return true
  state.dropped = true
  return false
}

/** Reads `value[key]`; a getter or trap that throws counts as dropped. */
function readMember(value: object, key: PropertyKey, state: CopyBudget): unknown {
  try {
    return (value as Record<PropertyKey, unknown>)[key]
  } catch {
    state.dropped = true
    return undefined
  }
}

/**
 * A JSON-safe copy of application data: cycles, functions, symbols and whatever cannot be
 * read (throwing getters, revoked Proxies, Dates whose methods throw) left out, BigInts as
 * strings, non-finite numbers as null, strings clipped, sizes bounded by `state`. Objects come
 * out with a null prototype, so a `__proto__` key stays a plain member. Never throws.
 */
export function toJsonValue(
  value: unknown,
  state: CopyBudget = dataBudget(),
  depth = 0,
  seen = new Set<object>(),
): unknown {
  switch (typeof value) {
    case 'string': {
      const text = clip(value)
      return spend(state, 1 + text.length) ? text : undefined
    }
    case 'number':
      return spend(state, 1) ? (Number.isFinite(value) ? value : null) : undefined
    case 'boolean':
      return spend(state, 1) ? value : undefined
    case 'bigint':
      return toJsonValue(value.toString(), state, depth, seen)
    case 'object':
      break
    default:
      return undefined // undefined, functions and symbols have no JSON form
  }
  if (value === null) return spend(state, 1) ? null : undefined
  if (depth >= LIMITS.depth || seen.has(value) || !spend(state, 1)) return undefined
  seen.add(value)
  try {
    return copyObject(value, state, depth, seen)
  } catch {
    // A revoked Proxy (Array.isArray and instanceof throw on it), a Date whose methods throw.
    state.dropped = true
    return undefined
  } finally {
    seen.delete(value)
  }
}

function copyObject(value: object, state: CopyBudget, depth: number, seen: Set<object>): unknown {
  if (value instanceof Date) {
    const time = Date.prototype.getTime.call(value)
    return Number.isFinite(time) ? new Date(time).toISOString() : null
  }
  if (Array.isArray(value)) {
    const items: unknown[] = []
    const length = Math.min(Number(readMember(value, 'length', state)) || 0, LIMITS.items)
    for (let index = 0; index < length && state.budget > 0; index++) {
      const item = toJsonValue(readMember(value, index, state), state, depth + 1, seen)
      items.push(item === undefined ? null : item)
    }
    return items
  }
  const copy: Record<string, unknown> = Object.create(null) as Record<string, unknown>
  for (const key of Object.keys(value).slice(0, LIMITS.keys)) {
    if (!spend(state, key.length)) break
    const item = toJsonValue(readMember(value, key, state), state, depth + 1, seen)
    if (item !== undefined) copy[key] = item
  }
  return copy
}

/**
 * The members of a top-level array or object, each copied: the container itself is not
 * marked as seen, so an `errors` list or extensions object that holds itself shows once more.
 */
function copyMembers(
  container: object,
  state: CopyBudget,
): { key: string; value: unknown }[] | undefined {
  try {
    const keys = Array.isArray(container)
      ? Array.from(
          { length: Math.min(Number(readMember(container, 'length', state)) || 0, LIMITS.items) },
          (_, index) => String(index),
        )
      : Object.keys(container).slice(0, LIMITS.keys)
    const members: { key: string; value: unknown }[] = []
    for (const key of keys) {
      if (!spend(state, key.length)) break
      members.push({ key, value: toJsonValue(readMember(container, key, state), state, 1) })
    }
    return members
  } catch {
    state.dropped = true // a revoked Proxy: Array.isArray throws on it
    return undefined
  }
}

/** The `errors` member: only items that are objects, each made JSON-safe. Never throws. */
export function toProblemItems(
  errors: readonly unknown[],
  state: CopyBudget = dataBudget(),
): ProblemItem[] {
  const items: ProblemItem[] = []
  for (const { value } of copyMembers(errors, state) ?? []) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      items.push(value as ProblemItem)
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
      ...(typeof stack === 'string' ? { stack: clip(stack, LIMITS.stack) } : {}),
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
 * The problem document in RFC 9457 member order: type, title, status, detail, instance, then
 * errors, code, extensions (which never replace a member) and debug. Structured data is
 * copied within one budget; `state.dropped` then tells whether any of it was left out.
 */
export function buildProblem(
  members: ProblemMembers,
  state: CopyBudget = dataBudget(),
): ProblemDocument {
  const problem: Record<string, unknown> = {
    type: members.type,
    title: clip(members.title, LIMITS.title),
    status: members.status,
  }
  if (members.detail !== undefined) problem.detail = clip(members.detail)
  if (members.instance !== undefined) problem.instance = members.instance
  if (members.errors !== undefined) problem.errors = toProblemItems(members.errors, state)
  if (members.code !== undefined) problem.code = clip(members.code, LIMITS.code)
  if (members.extensions !== undefined) {
    for (const { key, value } of copyMembers(members.extensions, state) ?? []) {
      if (value !== undefined && isExtensionName(key)) problem[key] = value
    }
  }
  if (members.debug !== undefined) problem.debug = members.debug
  return problem as ProblemDocument
}
