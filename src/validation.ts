/**
 * Validation failures → 422 Unprocessable Content (or 400, the formatter's `validationStatus`)
 * with RFC 9457 `errors`: Standard Schema issues (zod 4, valibot, arktype …), a ZodError,
 * anything else carrying such issues, a Joi ValidationError, celebrate's CelebrateError and a
 * list of class-validator ValidationErrors.
 *
 * No runtime dependency on any validation library: each shape is read here, structurally
 * (the issue is compatible with `@standard-schema/spec`'s `StandardSchemaV1.Issue`).
 */
import {
  createError,
  isHttpError,
  UnprocessableContent,
  type AnyErrorOptions,
  type BadRequest,
  type HttpError,
  type HttpErrorOptions,
  type ProblemItem,
} from './errors.js'
import { LIMITS } from './limits.js'
import { phraseOf } from './phrases.js'

/**
 * The status of a failed validation: 422 Unprocessable Content (RFC 9110 §15.5.21), or 400
 * Bad Request for APIs that answer every invalid request with it.
 *
 * @example
 * const status: ValidationStatus = 400
 * createFormatter({ validationStatus: status })
 */
export type ValidationStatus = 400 | 422

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
 * Options of `validationError`: any error option but `errors`, plus where pointers start and,
 * if it must not follow the formatter, the status.
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
  /**
   * The status, fixed whatever the formatter says. Without it the error is a 422 that the
   * formatter answers with its `validationStatus` (422 unless set to 400).
   * @default the formatter's validationStatus
   */
  readonly status?: ValidationStatus
}

// RFC 3986 §3.5: fragment = *( pchar / "/" / "?" ); pchar = unreserved / pct-encoded /
// sub-delims / ":" / "@". Everything else is percent-encoded as UTF-8.
const NOT_IN_FRAGMENT = /[^A-Za-z0-9\-._~!$&'()*+,;=:@/?]/gu
const POINTER_PREFIX = /^#(?:\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@?]|%[0-9A-Fa-f]{2})*)*$/
// The replacement character, for lone surrogates encodeURIComponent refuses.
const REPLACEMENT = '%EF%BF%BD'
/** At most this many issues are read (the rendered `errors` member is bounded anyway). */
const MAX_ISSUES = 1000
/** How deep class-validator's `children` are followed: deeper ones are left out. */
const MAX_DEPTH = 32
/**
 * Marks the errors `validationError` made without a status: the formatter answers them with
 * its `validationStatus`. A registry symbol, so two copies of the package agree.
 */
const FOLLOWS_FORMATTER = Symbol.for('errorshape.validationStatus')

/** Reads a property without trusting the value: a throwing getter or trap gives undefined. */
function readProperty(value: unknown, key: PropertyKey): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined
  try {
    return (value as Record<PropertyKey, unknown>)[key]
  } catch {
    return undefined
  }
}

/** Whether a value is an array; a revoked Proxy (on which Array.isArray throws) is none. */
function isArray(value: unknown): value is readonly unknown[] {
  try {
    return Array.isArray(value)
  } catch {
    return false
  }
}

/** How many items of a list are read: its length, at most `limit`. */
function lengthOf(list: readonly unknown[], limit: number): number {
  const length = readProperty(list, 'length')
  return typeof length === 'number' ? Math.min(length, limit) : 0
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
  if (!isArray(path)) return pointer
  const length = lengthOf(path, MAX_ISSUES)
  for (let index = 0; index < length; index++) {
    const text = segmentText(readProperty(path, index)).replace(/~/g, '~0').replace(/\//g, '~1')
    pointer += `/${text.replace(NOT_IN_FRAGMENT, encodeFragmentChar)}`
  }
  return pointer
}

/** Whether a value has the shape of one Standard Schema issue (a Joi detail is one too). */
function isIssue(value: unknown): value is ValidationIssue {
  if (value === null || typeof value !== 'object') return false
  const path = readProperty(value, 'path')
  return typeof readProperty(value, 'message') === 'string' && (path === undefined || isArray(path))
}

/** The issues of a list or of an object carrying `issues`, when every one has the right shape. */
function readIssues(source: unknown): readonly unknown[] | undefined {
  const issues: unknown = isArray(source) ? source : readProperty(source, 'issues')
  if (!isArray(issues)) return undefined
  const length = lengthOf(issues, MAX_ISSUES)
  if (length === 0) return undefined
  for (let index = 0; index < length; index++) {
    if (!isIssue(readProperty(issues, index))) return undefined
  }
  return issues
}

/** Appends one item per issue, its pointer under `prefix`; what is not an issue is left out. */
function appendIssues(into: ProblemItem[], issues: unknown, prefix: string): void {
  if (!isArray(issues)) return
  const length = lengthOf(issues, MAX_ISSUES)
  for (let index = 0; index < length && into.length < MAX_ISSUES; index++) {
    const issue = readProperty(issues, index)
    if (!isIssue(issue)) continue
    const path = readProperty(issue, 'path')
    into.push({
      detail: readProperty(issue, 'message') as string,
      pointer: toJsonPointer(isArray(path) ? (path as ValidationPathSegment[]) : [], prefix),
    })
  }
}

/** The error options among `validationError`'s: its own and any stray `errors` left out. */
function errorOptionsOf(options: unknown): HttpErrorOptions {
  if (options === null || typeof options !== 'object') return {}
  try {
    return Object.fromEntries(
      Object.entries(options).filter(
        ([key]) => key !== 'pointerPrefix' && key !== 'status' && key !== 'errors',
      ),
    )
  } catch {
    return {} // a throwing getter: the error is still made
  }
}

/**
 * Makes the error of a failed validation, a 422 Unprocessable Content: one `errors` item per
 * issue, `{ detail: issue.message, pointer: '#/path/to/member' }` (RFC 9457 §3, JSON Pointers as
 * URI fragments). Takes Standard Schema issues (zod 4, valibot, arktype …) or anything
 * carrying them in `issues`, such as a ZodError or a valibot ValiError. Never throws: items
 * that are not issues are left out.
 *
 * Without a `status` option the formatter answers it with its `validationStatus` (422 unless
 * set to 400), so one option decides for the whole app; `status` fixes it for this error.
 * The formatter does all this by itself for a thrown ZodError or any thrown error carrying
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
  options?: ValidationErrorOptions & { readonly status?: 422 | undefined },
): UnprocessableContent
export function validationError(
  issues: readonly ValidationIssue[] | { readonly issues: readonly ValidationIssue[] },
  options: ValidationErrorOptions & { readonly status: 400 },
): BadRequest
export function validationError(
  issues: readonly ValidationIssue[] | { readonly issues: readonly ValidationIssue[] },
  options: ValidationErrorOptions = {},
): HttpError {
  const prefix = readProperty(options, 'pointerPrefix')
  const errors: ProblemItem[] = []
  appendIssues(
    errors,
    isArray(issues) ? issues : readProperty(issues, 'issues'),
    typeof prefix === 'string' ? prefix : '#',
  )
  const fields = { ...errorOptionsOf(options), errors }
  const status = readProperty(options, 'status')
  if (status === 400 || status === 422) return createError(status, fields)
  const error = new UnprocessableContent(fields)
  Object.defineProperty(error, FOLLOWS_FORMATTER, { value: true })
  return error
}

/** Whether `validationError` made this error without a status, for the formatter to decide. */
function followsFormatter(value: unknown): value is HttpError {
  return readProperty(value, FOLLOWS_FORMATTER) === true && isHttpError(value)
}

/** The fields an error made by `validationError` passes on when its status changes. */
const CARRIED = [
  'expose',
  'headers',
  'type',
  'title',
  'detail',
  'instance',
  'code',
  'errors',
  'extensions',
  'cause',
] as const

/** The same error with `status`: a copy, since what was thrown is never changed. */
function withStatus(error: HttpError, status: ValidationStatus): HttpError {
  if (readProperty(error, 'status') === status) return error
  const options: Record<string, unknown> = {}
  for (const key of CARRIED) {
    const value = readProperty(error, key)
    if (value !== undefined) options[key] = value
  }
  // The phrase of 422 is no message of the new status: the default one applies.
  const message = readProperty(error, 'message')
  if (typeof message === 'string' && message !== phraseOf(422)) options.message = message
  return createError(status, options as AnyErrorOptions)
}

// -- Validation libraries' own failures, by shape -------------------------------------------

/** The items of a Joi ValidationError (`isJoi`, `details[]` of message and path). */
function joiItems(value: unknown, prefix: string): ProblemItem[] | undefined {
  const details = readProperty(value, 'details')
  if (!isArray(details)) return undefined
  if (readProperty(value, 'isJoi') !== true && readProperty(value, 'name') !== 'ValidationError') {
    return undefined
  }
  if (readIssues(details) === undefined) return undefined
  const items: ProblemItem[] = []
  appendIssues(items, details, prefix)
  return items
}

/** The entries of a Map, at most LIMITS.keys of them; undefined for anything else. */
function mapEntries(value: unknown): [unknown, unknown][] | undefined {
  if (value === null || typeof value !== 'object') return undefined
  try {
    if (Object.prototype.toString.call(value) !== '[object Map]') return undefined
    const entries: [unknown, unknown][] = []
    for (const entry of Map.prototype.entries.call(value as Map<unknown, unknown>)) {
      if (entries.length >= LIMITS.keys) break
      entries.push(entry)
    }
    return entries
  } catch {
    return undefined // a Proxy of a Map, or a Map whose iterator was replaced and throws
  }
}

/**
 * The items of celebrate's CelebrateError: `details` maps each request part (`body`,
 * `query`, `params`, `headers`, `cookies` …) to its Joi ValidationError, so each pointer
 * starts with that part: `#/body/name`, `#/query/page`.
 */
function celebrateItems(details: unknown): ProblemItem[] | undefined {
  const segments = mapEntries(details)
  if (segments === undefined || segments.length === 0) return undefined
  const items: ProblemItem[] = []
  for (const [segment, failure] of segments) {
    const found = joiItems(failure, typeof segment === 'string' ? toJsonPointer([segment]) : '#')
    if (found === undefined) return undefined
    items.push(...found.slice(0, MAX_ISSUES - items.length))
  }
  return items
}

/** Whether a value looks like one class-validator ValidationError. */
function isConstraintNode(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || isArray(value)) return false
  const property = readProperty(value, 'property')
  if (property !== undefined && typeof property !== 'string') return false
  const constraints = readProperty(value, 'constraints')
  return (
    (constraints !== null && typeof constraints === 'object' && !isArray(constraints)) ||
    isArray(readProperty(value, 'children'))
  )
}

/** The messages of a node's `constraints` (rule name → message), at most LIMITS.keys. */
function constraintMessages(constraints: unknown): string[] {
  if (constraints === null || typeof constraints !== 'object') return []
  let names: string[]
  try {
    names = Object.keys(constraints).slice(0, LIMITS.keys)
  } catch {
    return [] // a revoked Proxy or a throwing ownKeys trap
  }
  const messages: string[] = []
  for (const name of names) {
    const message = readProperty(constraints, name)
    if (typeof message === 'string') messages.push(message)
  }
  return messages
}

/** What a walk of class-validator's tree may still visit, and what it found. */
interface Walk {
  readonly items: ProblemItem[]
  nodes: number
}

/** Appends a node's messages at its path, then its children's, deeper. */
function walkConstraints(node: unknown, parent: readonly string[], walk: Walk): void {
  walk.nodes -= 1
  if (walk.nodes < 0 || parent.length > MAX_DEPTH) return
  const property = readProperty(node, 'property')
  const path = typeof property === 'string' ? [...parent, property] : parent
  for (const detail of constraintMessages(readProperty(node, 'constraints'))) {
    if (walk.items.length >= MAX_ISSUES) return
    walk.items.push({ detail, pointer: toJsonPointer(path) })
  }
  const children = readProperty(node, 'children')
  if (!isArray(children)) return
  const length = lengthOf(children, MAX_ISSUES)
  for (let index = 0; index < length && walk.nodes > 0; index++) {
    const child = readProperty(children, index)
    if (isConstraintNode(child)) walkConstraints(child, path, walk)
  }
}

/**
 * The items of a list of class-validator ValidationErrors (what `validate()` resolves to):
 * one per constraint message, nested `children` giving deeper pointers (`#/address/city`,
 * `#/tags/1/name`).
 */
export function classValidatorItems(value: unknown): ProblemItem[] | undefined {
  if (!isArray(value)) return undefined
  const length = lengthOf(value, MAX_ISSUES)
  const nodes: unknown[] = []
  for (let index = 0; index < length; index++) {
    const node = readProperty(value, index)
    if (!isConstraintNode(node)) return undefined
    nodes.push(node)
  }
  const walk: Walk = { items: [], nodes: MAX_ISSUES }
  for (const node of nodes) walkConstraints(node, [], walk)
  return walk.items.length > 0 ? walk.items : undefined
}

/** The JSON Pointer of an express-validator location and lodash-style path (`a.b[1]`). */
function fieldPointer(location: unknown, path: unknown): string {
  const tokens = typeof path === 'string' ? path.slice(0, LIMITS.text).match(/[^.[\]]+/g) : null
  return toJsonPointer([...(typeof location === 'string' ? [location] : []), ...(tokens ?? [])])
}

/** Appends the items of express-validator errors: fields, alternatives and unknown fields. */
function appendFieldErrors(into: ProblemItem[], errors: unknown, depth: number): void {
  if (!isArray(errors) || depth > 2) return
  const length = lengthOf(errors, MAX_ISSUES)
  for (let index = 0; index < length && into.length < MAX_ISSUES; index++) {
    const error = readProperty(errors, index)
    const msg = readProperty(error, 'msg')
    const detail = typeof msg === 'string' ? msg : 'Invalid value'
    const type = readProperty(error, 'type')
    if (type === 'field') {
      into.push({
        detail,
        pointer: fieldPointer(readProperty(error, 'location'), readProperty(error, 'path')),
      })
    } else if (type === 'unknown_fields') {
      const fields = readProperty(error, 'fields')
      const count = isArray(fields) ? lengthOf(fields, MAX_ISSUES) : 0
      for (let field = 0; field < count && into.length < MAX_ISSUES; field++) {
        const unknown = readProperty(fields, field)
        into.push({
          detail,
          pointer: fieldPointer(readProperty(unknown, 'location'), readProperty(unknown, 'path')),
        })
      }
    } else if (type === 'alternative' || type === 'alternative_grouped') {
      // oneOf(): the alternatives' own failures (grouped ones are a list per alternative).
      const nested = readProperty(error, 'nestedErrors')
      if (type === 'alternative') appendFieldErrors(into, nested, depth + 1)
      else if (isArray(nested)) {
        const groups = lengthOf(nested, MAX_ISSUES)
        for (let group = 0; group < groups; group++)
          appendFieldErrors(into, readProperty(nested, group), depth + 1)
      }
    }
  }
}

/**
 * The items of express-validator's failure: what `validationResult(req).throw()` throws, or
 * the Result itself (both hold `errors`, a list of `{ type, location, path, msg }`).
 */
function expressValidatorItems(value: object): ProblemItem[] | undefined {
  const errors = readProperty(value, 'errors')
  if (!isArray(errors) || lengthOf(errors, 1) === 0) return undefined
  const type = readProperty(readProperty(errors, 0), 'type')
  if (
    type !== 'field' &&
    type !== 'alternative' &&
    type !== 'alternative_grouped' &&
    type !== 'unknown_fields'
  )
    return undefined
  if (typeof readProperty(value, 'array') !== 'function') return undefined
  const items: ProblemItem[] = []
  appendFieldErrors(items, errors, 0)
  return items.length > 0 ? items : undefined
}

/** The items of a thrown validation failure of any known shape, or undefined. */
function failureItems(value: object): ProblemItem[] | undefined {
  // arktype's `assert` throws a TraversalError holding its ArkErrors in `arkErrors`.
  const issues = readIssues(value) ?? readIssues(readProperty(value, 'arkErrors'))
  if (issues !== undefined) {
    const items: ProblemItem[] = []
    appendIssues(items, issues, '#')
    return items
  }
  if (isArray(value)) return classValidatorItems(value)
  const fieldErrors = expressValidatorItems(value)
  if (fieldErrors !== undefined) return fieldErrors
  // Joi's `details` is a list, celebrate's a Map; most errors have none: one read for both.
  const details = readProperty(value, 'details')
  if (details === null || typeof details !== 'object') return undefined
  return isArray(details) ? joiItems(value, '#') : celebrateItems(details)
}

/** Whether a value has an HTTP status of its own, which then wins over recognition. */
function hasOwnStatus(value: object): boolean {
  if (isHttpError(value) || readProperty(value, 'isBoom') === true) return true
  for (const key of ['status', 'statusCode']) {
    const status = readProperty(value, key)
    if (typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599) {
      return true
    }
  }
  return false
}

/**
 * The error a thrown validation failure is answered with (`status`, 422 unless given), or
 * `undefined` when the value is none: a ZodError, a valibot ValiError, an arktype ArkErrors
 * or TraversalError, any object carrying Standard Schema `issues`, a Joi ValidationError,
 * celebrate's CelebrateError, express-validator's failure (`validationResult(req).throw()`,
 * or the Result itself), or a list of class-validator ValidationErrors — that has no
 * HTTP status of its own (its own status wins).
 */
export function fromValidationFailure(
  value: unknown,
  status: ValidationStatus = 422,
): HttpError | undefined {
  if (value === null || typeof value !== 'object') return undefined
  const items = failureItems(value)
  if (items === undefined || hasOwnStatus(value)) return undefined
  return createError(status, { errors: items, cause: value })
}

/**
 * What a failed validation is answered with under `validationStatus`: an error `validationError`
 * made without a status (thrown, or returned by a map function) takes it; any other value is
 * left as it is, for recognition (fromValidationFailure) to follow.
 *
 * @example
 * withValidationStatusOf(validationError(issues), 400).status // 400
 */
export function withValidationStatusOf(value: unknown, status: ValidationStatus): unknown {
  return status !== 422 && followsFormatter(value) ? withStatus(value, status) : value
}
