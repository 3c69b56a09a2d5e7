/**
 * Validation failures → 422 Unprocessable Content with RFC 9457 `errors`: Standard Schema
 * issues (zod 4, valibot, arktype …), a ZodError, or anything else carrying such issues.
 *
 * No runtime dependency on any schema library: the issue shape is declared here, structurally
 * compatible with `@standard-schema/spec`'s `StandardSchemaV1.Issue`.
 */
import {
  isHttpError,
  UnprocessableContent,
  type HttpError,
  type HttpErrorOptions,
  type ProblemItem,
} from './errors.js'

/**
 * One key of an issue's path: a property key, or Standard Schema's `{ key }` segment.
 *
 * @example
 * const path: ValidationPathSegment[] = ['items', 0, { key: 'price' }]
 * toJsonPointer(path) // '#/items/0/price'
 */
export type ValidationPathSegment = PropertyKey | { readonly key: PropertyKey }

/**
 * One validation issue, as Standard Schema defines it: a message and where it applies.
 * zod, valibot and arktype issues all fit.
 *
 * @example
 * const issues: ValidationIssue[] = [{ message: 'must be positive', path: ['age'] }]
 * throw validationError(issues)
 */
export interface ValidationIssue {
  readonly message: string
  readonly path?: readonly ValidationPathSegment[] | undefined
}

/**
 * Options of `validationError`: any error option but `errors`, plus where pointers start.
 *
 * @example
 * throw validationError(result.issues, { pointerPrefix: '#/query', code: 'BAD_QUERY' })
 */
export interface ValidationErrorOptions extends Omit<HttpErrorOptions, 'errors'> {
  /**
   * The JSON Pointer (as a URI fragment) every issue's pointer starts with, such as
   * `'#/body'` when the issues are about the request body inside a larger document. A prefix
   * that is not a URI-fragment pointer is ignored.
   * @default '#'
   */
  readonly pointerPrefix?: string
}

// RFC 3986 §3.5: fragment = *( pchar / "/" / "?" ); pchar = unreserved / pct-encoded /
// sub-delims / ":" / "@". Everything else is percent-encoded as UTF-8.
const NOT_IN_FRAGMENT = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]/gu
const POINTER_PREFIX = /^#(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@?]|%[0-9A-Fa-f]{2})*)*$/
// The replacement character, for lone surrogates encodeURIComponent refuses.
const REPLACEMENT = '%EF%BF%BD'
/** At most this many issues are read (the rendered `errors` member is bounded anyway). */
const MAX_ISSUES = 1000

/** Reads a property without trusting the value: a throwing getter or trap gives undefined. */
function readProperty(value: unknown, key: PropertyKey): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined
  try {
    return (value as Record<PropertyKey, unknown>)[key]
  } catch {
    return undefined
  }
}

function encodeFragmentChar(char: string): string {
  try {
    return encodeURIComponent(char)
  } catch {
    return REPLACEMENT
  }
}

function keyText(key: unknown): string {
  if (typeof key === 'string') return key
  if (typeof key === 'number') return Number.isFinite(key) ? String(key) : ''
  if (typeof key === 'symbol') return key.description ?? ''
  if (typeof key === 'bigint' || typeof key === 'boolean') return String(key)
  return '' // a Map key that is an object: JSON has no name for it
}

/** The text of one path segment: a key, or the `key` of a `{ key }` segment. */
function segmentText(segment: unknown): string {
  return segment !== null && typeof segment === 'object'
    ? keyText(readProperty(segment, 'key'))
    : keyText(segment)
}

/**
 * A JSON Pointer (RFC 6901) to a path, written as a URI fragment: each key escaped (`~` →
 * `~0`, `/` → `~1`), then every character a fragment cannot hold percent-encoded
 * (RFC 6901 §6). Path segments may be keys or Standard Schema's `{ key }` objects.
 *
 * @example
 * toJsonPointer(['users', 0, 'e-mail'])        // '#/users/0/e-mail'
 * toJsonPointer(['a/b', 'm~n', 'c d'])         // '#/a~1b/m~0n/c%20d'
 * toJsonPointer([{ key: 'age' }], '#/body')    // '#/body/age'
 */
export function toJsonPointer(path: readonly ValidationPathSegment[], prefix = '#'): string {
  let pointer = typeof prefix === 'string' ? prefix : '#'
  if (pointer.startsWith('/')) pointer = `#${pointer}`
  if (!POINTER_PREFIX.test(pointer)) pointer = '#'
  if (!Array.isArray(path)) return pointer
  const length = Math.min(path.length, MAX_ISSUES)
  for (let index = 0; index < length; index++) {
    const text = segmentText(readProperty(path, index)).replace(/~/g, '~0').replace(/\//g, '~1')
    pointer += `/${text.replace(NOT_IN_FRAGMENT, encodeFragmentChar)}`
  }
  return pointer
}

/** Whether a value has the shape of one Standard Schema issue. */
function isIssue(value: unknown): value is ValidationIssue {
  if (value === null || typeof value !== 'object') return false
  const path = readProperty(value, 'path')
  return (
    typeof readProperty(value, 'message') === 'string' &&
    (path === undefined || Array.isArray(path))
  )
}

/** The issues of a list or of an object carrying `issues`, when every one has the right shape. */
function readIssues(source: unknown): readonly unknown[] | undefined {
  const issues: unknown = Array.isArray(source) ? source : readProperty(source, 'issues')
  if (!Array.isArray(issues) || issues.length === 0) return undefined
  const length = Math.min(issues.length, MAX_ISSUES)
  for (let index = 0; index < length; index++) {
    if (!isIssue(readProperty(issues, index))) return undefined
  }
  return issues as unknown[]
}

/** The error options among `validationError`'s: `pointerPrefix` and any stray `errors` left out. */
function errorOptionsOf(options: unknown): HttpErrorOptions {
  if (options === null || typeof options !== 'object') return {}
  try {
    return Object.fromEntries(
      Object.entries(options).filter(([key]) => key !== 'pointerPrefix' && key !== 'errors'),
    )
  } catch {
    return {} // a throwing getter: the error is still made
  }
}

/**
 * Makes the 422 Unprocessable Content of a failed validation: one `errors` item per issue,
 * `{ detail: issue.message, pointer: '#/path/to/member' }` (RFC 9457 §3, JSON Pointers as
 * URI fragments). Takes Standard Schema issues (zod 4, valibot, arktype …) or anything
 * carrying them in `issues`, such as a ZodError or a valibot ValiError. Never throws: items
 * that are not issues are left out.
 *
 * The formatter does this by itself for a thrown ZodError or any thrown error carrying
 * Standard Schema `issues` and no HTTP status of its own.
 *
 * @example
 * const result = await schema['~standard'].validate(body)
 * if (result.issues) throw validationError(result.issues, { pointerPrefix: '#/body' })
 *
 * const parsed = User.safeParse(body)        // zod
 * if (!parsed.success) throw validationError(parsed.error, { code: 'INVALID_USER' })
 */
export function validationError(
  issues: readonly ValidationIssue[] | { readonly issues: readonly ValidationIssue[] },
  options: ValidationErrorOptions = {},
): UnprocessableContent {
  const list: unknown = Array.isArray(issues) ? issues : readProperty(issues, 'issues')
  const prefix = readProperty(options, 'pointerPrefix')
  const errors: ProblemItem[] = []
  if (Array.isArray(list)) {
    const length = Math.min(list.length, MAX_ISSUES)
    for (let index = 0; index < length; index++) {
      const issue = readProperty(list, index)
      if (!isIssue(issue)) continue
      const path = readProperty(issue, 'path')
      errors.push({
        detail: readProperty(issue, 'message') as string,
        pointer: toJsonPointer(
          Array.isArray(path) ? (path as ValidationPathSegment[]) : [],
          typeof prefix === 'string' ? prefix : '#',
        ),
      })
    }
  }
  return new UnprocessableContent({ ...errorOptionsOf(options), errors })
}

/**
 * The 422 of a thrown validation failure, or `undefined` when the value is none: a ZodError,
 * a valibot ValiError, an arktype ArkErrors or TraversalError, or any object carrying
 * Standard Schema `issues`, that has no HTTP status of its own (its own status wins).
 */
export function fromValidationFailure(value: unknown): HttpError | undefined {
  if (value === null || typeof value !== 'object') return undefined
  // arktype's `assert` throws a TraversalError holding its ArkErrors in `arkErrors`.
  const issues = readIssues(value) ?? readIssues(readProperty(value, 'arkErrors'))
  if (issues === undefined || isHttpError(value)) return undefined
  if (readProperty(value, 'isBoom') === true) return undefined
  for (const key of ['status', 'statusCode']) {
    const status = readProperty(value, key)
    if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599) {
      return undefined
    }
  }
  return validationError(issues as ValidationIssue[], { cause: value })
}
