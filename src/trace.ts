/**
 * The ids a person quotes to support, read from the request: the W3C Trace Context trace-id
 * of a `traceparent` field (https://www.w3.org/TR/trace-context/#traceparent-header) and the
 * app's own request id. Both come from outside: each is read in one bounded pass, and anything
 * malformed is no id at all.
 */
import { LIMITS } from './limits.js'

/**
 * The longest `traceparent` value read. Version 00 takes 55 characters; later versions may
 * append fields, and the spec asks only that "prohibitively large" values be refused.
 *
 * @example
 * traceIdOf(`cc-${'1'.repeat(32)}-${'2'.repeat(16)}-01-${'x'.repeat(600)}`) // undefined
 */
export const MAX_TRACEPARENT_LENGTH = 512

/** version "-" trace-id "-" parent-id "-" trace-flags, for version 00. */
const VERSION_00_LENGTH = 55

/** Reads the UTF-16 code unit at an index; the parser reads a value through nothing else. */
export type CodeAt = (index: number) => number

const DASH = 0x2d
const COMMA = 0x2c

function isOws(code: number): boolean {
  return code === 0x20 || code === 0x09
}

function isLowerHex(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x61 && code <= 0x66)
}

/** Whether `count` characters from `start` are lower-case hex, and not all `0`. */
function isHexId(codeAt: CodeAt, start: number, count: number): boolean {
  let zero = true
  for (let index = start; index < start + count; index++) {
    const code = codeAt(index)
    if (!isLowerHex(code)) return false
    if (code !== 0x30) zero = false
  }
  return !zero
}

/**
 * Where the trace-id starts in a traceparent of `length` characters read through `codeAt`,
 * or -1 when it is invalid. Reads each character at most twice (trimming, then parsing) and
 * none past MAX_TRACEPARENT_LENGTH: a longer value is refused before anything is read.
 */
export function traceIdStart(length: number, codeAt: CodeAt): number {
  if (length > MAX_TRACEPARENT_LENGTH) return -1
  // Optional whitespace around a field value is not part of it (RFC 9110 §5.5); the W3C
  // test suite sends some.
  let start = 0
  let end = length
  while (start < end && isOws(codeAt(start))) start += 1
  while (end > start && isOws(codeAt(end - 1))) end -= 1
  if (end - start < VERSION_00_LENGTH) return -1
  const v1 = codeAt(start)
  const v2 = codeAt(start + 1)
  // Version ff is forbidden; any other two lower-case hex digits are a version.
  if (!isLowerHex(v1) || !isLowerHex(v2) || (v1 === 0x66 && v2 === 0x66)) return -1
  if (codeAt(start + 2) !== DASH || !isHexId(codeAt, start + 3, 32)) return -1
  if (codeAt(start + 35) !== DASH || !isHexId(codeAt, start + 36, 16)) return -1
  if (codeAt(start + 52) !== DASH) return -1
  if (!isLowerHex(codeAt(start + 53)) || !isLowerHex(codeAt(start + 54))) return -1
  const rest = start + VERSION_00_LENGTH
  if (rest === end) return start + 3
  // Version 00 has exactly these fields; a later one may add more after a dash.
  if ((v1 === 0x30 && v2 === 0x30) || codeAt(rest) !== DASH) return -1
  // Several traceparent fields are invalid (the W3C test suite's "duplicated" case): Node and
  // Fetch join them with ", ", and a comma is no part of any version's fields.
  for (let index = rest + 1; index < end; index++) if (codeAt(index) === COMMA) return -1
  return start + 3
}

/**
 * The trace-id of a `traceparent` field value: 32 lower-case hex characters, or `undefined`
 * when the value is missing, invalid (wrong lengths or characters, an all-zero id, version
 * ff), longer than MAX_TRACEPARENT_LENGTH, or several fields (an array, or lines joined with
 * a comma).
 *
 * @example
 * traceIdOf('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01') // '4bf92f3577b34da6a3ce929d0e0e4736'
 * traceIdOf('00-00000000000000000000000000000000-00f067aa0ba902b7-01') // undefined
 */
export function traceIdOf(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const start = traceIdStart(value.length, (index) => value.charCodeAt(index))
  return start < 0 ? undefined : value.slice(start, start + 32)
}

/**
 * Whether a value may be sent as `traceId` or `requestId`: a string of 1 to LIMITS.code (200)
 * visible ASCII characters (VCHAR, RFC 5234), so that a person can read and quote it, and no
 * control character or markup-breaking whitespace reaches any format.
 *
 * @example
 * isQuotableId('req-7f3a') // true
 * isQuotableId('two words') // false
 */
export function isQuotableId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > LIMITS.code) return false
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index)
    if (code < 0x21 || code > 0x7e) return false
  }
  return true
}

/**
 * Hands a rejection of `value` to `onRejected` when it is a thenable, so that an async hook
 * whose result is ignored never makes an unhandled rejection. Returns whether it was one. A
 * `then` that cannot be read makes no thenable (what reads the value next finds it
 * unreadable); a `then` function that throws does, and its fault goes to `onRejected`.
 *
 * @example
 * if (catchRejection(result, report)) return members // async: not supported, result ignored
 */
export function catchRejection(value: unknown, onRejected: (fault: unknown) => void): boolean {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false
  let then: unknown
  try {
    then = (value as { then?: unknown }).then
  } catch {
    return false
  }
  if (typeof then !== 'function') return false
  try {
    then.call(value, undefined, onRejected)
  } catch (fault) {
    onRejected(fault)
  }
  return true
}
