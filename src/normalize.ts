/**
 * Any thrown value → ErrorRecord: the plain facts the renderers need. Pure, never throws,
 * never mutates what was thrown. Every property is read through `readProperty`, so throwing
 * getters and hostile Proxies count as absent.
 */
import {
  createError,
  isErrorStatus,
  isHttpError,
  UnsupportedMediaType,
  type HttpError,
  type ProblemItem,
} from './errors.js'
import { sanitizeHeaders, type HeaderValues } from './headers.js'
import { phraseOf } from './phrases.js'
import type { ErrorMapper } from './types.js'
import {
  fromValidationFailure,
  withValidationStatusOf,
  type ValidationStatus,
} from './validation.js'

/** What the formatter knows of a thrown value. */
export interface ErrorRecord {
  readonly status: number
  /** Whether the status came from the error (else it is the 500 of an unknown value). */
  readonly statusFromError: boolean
  /** Whether the message may be shown to the client. */
  readonly expose: boolean
  /** The message, when the value had a usable one; shown only when `expose`. */
  readonly message: string | undefined
  /** Header fields from the error, validated; empty unless `statusFromError`. */
  readonly headers: HeaderValues
  readonly type: string | undefined
  readonly title: string | undefined
  /** A problem type's title per language tag (defineProblemType), as read: not yet checked. */
  readonly titles: object | undefined
  readonly detail: string | undefined
  readonly instance: string | undefined
  readonly code: string | undefined
  readonly errors: readonly ProblemItem[] | undefined
  readonly extensions: Readonly<Record<string, unknown>> | undefined
  /** The value the record was made from (after `map`), for debug output and logging. */
  readonly source: unknown
}

/**
 * `read(value)` without trusting the value: one that is no object, or a read that throws (a
 * getter, a Proxy trap), gives undefined. For the properties read of every error and request:
 * each caller's `read` loads its one property at a site of its own, so V8 keeps an inline
 * cache per property instead of readProperty's one megamorphic lookup for every key.
 *
 * @example
 * const statusOf = (error: object) => readWith(error, (value) => value.status)
 */
export function readWith(
  value: unknown,
  read: (value: Record<string, unknown>) => unknown,
): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined
  try {
    return read(value as Record<string, unknown>)
  } catch {
    return undefined
  }
}

/** Reads a property without trusting the value: a throwing getter or trap gives undefined. */
export function readProperty(value: unknown, key: PropertyKey): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined
  try {
    return (value as Record<PropertyKey, unknown>)[key]
  } catch {
    return undefined
  }
}

function readString(value: unknown, key: string): string | undefined {
  const property = readProperty(value, key)
  return typeof property === 'string' ? property : undefined
}

/** An integer 400–599: the only statuses a foreign value is trusted with. */
function isFailureStatus(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 400 && value <= 599
}

/**
 * multer's MulterError codes (multer 2) → status. A limit on the size of the content, in bytes
 * or in files, fields or parts, is 413 Content Too Large: the content is larger than the
 * server is willing to process (RFC 9110 §15.5.14). A form refused for what it holds is 400.
 * STREAM_DESTROYED (the storage's stream went away) is no fault of the form: not here.
 */
const MULTER_STATUS: Readonly<Record<string, number>> = {
  LIMIT_FILE_SIZE: 413,
  LIMIT_FILE_COUNT: 413,
  LIMIT_FIELD_KEY: 413,
  LIMIT_FIELD_VALUE: 413,
  LIMIT_FIELD_COUNT: 413,
  LIMIT_PART_COUNT: 413,
  LIMIT_UNEXPECTED_FILE: 400,
  MISSING_FIELD_NAME: 400,
  LIMIT_FIELD_NESTING: 400,
  LIMIT_FIELD_ARRAY_INDEX: 400,
  INVALID_FIELD_NAME: 400,
}

/** busboy's messages for a multipart body it cannot parse, which multer passes on as is. */
const BUSBOY_MALFORMED: ReadonlySet<string> = new Set([
  'Multipart: Boundary not found',
  'Unexpected end of form',
  'Unexpected end of file',
  'Malformed part header',
])
const BUSBOY_UNSUPPORTED = 'Unsupported content type: multipart/'

/** A field name, quoted and cut short, for a detail. */
function quoteField(field: string): string {
  return JSON.stringify(field.length > 200 ? `${field.slice(0, 200)}…` : field)
}

/**
 * The HTTP error of a multipart upload that failed for the client's form: multer's
 * MulterError (413 for a limit, 400 for a refused form, the field named in `detail`) or one
 * of busboy's parse errors (400; 415 for a multipart type other than form-data). Read by
 * shape alone; undefined for anything else.
 */
function fromUploadFailure(value: object): HttpError | undefined {
  const error = uploadErrorOf(value)
  if (error === undefined) return undefined
  // A status the app gave the error itself wins, as on any other error.
  const own =
    isFailureStatus(readProperty(value, 'status')) ||
    isFailureStatus(readProperty(value, 'statusCode'))
  return own ? undefined : error
}

/** The error multer's or busboy's value stands for, before its own status is looked at. */
function uploadErrorOf(value: object): HttpError | undefined {
  const name = readProperty(value, 'name')
  if (name !== 'MulterError' && name !== 'Error') return undefined // most errors: one read
  const code = readProperty(value, 'code')
  const message = readString(value, 'message')
  if (name === 'MulterError') {
    if (typeof code !== 'string' || !Object.hasOwn(MULTER_STATUS, code)) return undefined
    const field = readString(value, 'field')
    const text = message ?? code
    return createError(MULTER_STATUS[code] ?? 400, {
      message: field === undefined ? text : `${text}: ${quoteField(field)}`,
      cause: value,
    })
  }
  if (code !== undefined || message === undefined) return undefined
  if (BUSBOY_MALFORMED.has(message)) return createError(400, { message, cause: value })
  if (message.startsWith(BUSBOY_UNSUPPORTED)) {
    return new UnsupportedMediaType(message, { accept: ['multipart/form-data'], cause: value })
  }
  return undefined
}

/**
 * Older phrases that http-errors and Node still use as default messages. A Map: an object
 * with a few numeric keys keeps them in a dictionary, whose every lookup hashes the status.
 */
const LEGACY_PHRASES: ReadonlyMap<number, readonly string[]> = new Map([
  [408, ['request time-out']],
  [413, ['payload too large', 'request entity too large']],
  [414, ['request-uri too long']],
  [416, ['requested range not satisfiable']],
  [418, ["i'm a teapot"]],
  [422, ['unprocessable entity']],
  [504, ['gateway time-out']],
  [505, ['http version not supported']],
])

/** Whether a message is only the status phrase repeated (then it is no detail). */
export function isDefaultMessage(status: number, message: string): boolean {
  const phrase = phraseOf(status)
  const legacy = LEGACY_PHRASES.get(status)
  // The phrases are ASCII, so a message of another length cannot lower-case to one: the
  // usual message is ruled out without allocating.
  const { length } = message
  if (length !== phrase.length && !(legacy?.some((old) => old.length === length) ?? false)) {
    return false
  }
  const lower = message.toLowerCase()
  return lower === phrase.toLowerCase() || (legacy?.includes(lower) ?? false)
}

function tryMappers(
  error: unknown,
  mappers: readonly ErrorMapper[],
  onFault: ((fault: unknown) => void) | undefined,
): unknown {
  for (const mapper of mappers) {
    let mapped: HttpError | undefined
    try {
      mapped = mapper(error)
    } catch (fault) {
      onFault?.(fault) // a mapper that throws is skipped, and reported
      continue
    }
    // A result that cannot even be inspected (a hostile Proxy) is skipped like a throw.
    let usable: boolean
    try {
      usable = mapped !== undefined && isHttpError(mapped)
    } catch (fault) {
      onFault?.(fault)
      continue
    }
    if (usable) return mapped
  }
  return error
}

const EMPTY: HeaderValues = Object.freeze({})

/** A record with nothing known but the status: for values that are not errors. */
function unknownRecord(source: unknown): ErrorRecord {
  return {
    status: 500,
    statusFromError: false,
    expose: false,
    message: undefined,
    headers: EMPTY,
    type: undefined,
    title: undefined,
    titles: undefined,
    detail: undefined,
    instance: undefined,
    code: undefined,
    errors: undefined,
    extensions: undefined,
    source,
  }
}

const OWN_ERROR = Symbol.for('errorshape.HttpError')

function isOwnError(value: object): value is HttpError {
  try {
    return (value as Record<symbol, unknown>)[OWN_ERROR] === true
  } catch {
    return false
  }
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** The fields of an error with a usable status, as read, before their types are checked. */
interface RawFields {
  expose: unknown
  headers: unknown
  message: unknown
  type: unknown
  title: unknown
  titles: unknown
  detail: unknown
  instance: unknown
  code: unknown
  errors: unknown
  extensions: unknown
}

/**
 * Whether a value is an array; a revoked Proxy (on which Array.isArray throws) counts as
 * one, so the renderer drops it as unreadable and says so.
 */
function isList(value: unknown): boolean {
  try {
    return Array.isArray(value)
  } catch {
    return true
  }
}

const isBoomOf = (error: object): unknown => readWith(error, (value) => value.isBoom)
const statusOf = (error: object): unknown => readWith(error, (value) => value.status)

/** The record of an error whose status came from the error itself. */
function toRecord(status: number, raw: RawFields, source: unknown): ErrorRecord {
  const { expose, errors, extensions } = raw
  return {
    status,
    statusFromError: true,
    expose: typeof expose === 'boolean' ? expose : status < 500,
    message: stringOrUndefined(raw.message),
    headers: sanitizeHeaders(raw.headers),
    type: stringOrUndefined(raw.type),
    title: stringOrUndefined(raw.title),
    titles: raw.titles !== null && typeof raw.titles === 'object' ? raw.titles : undefined,
    detail: stringOrUndefined(raw.detail),
    instance: stringOrUndefined(raw.instance),
    code: stringOrUndefined(raw.code),
    errors: isList(errors) ? (errors as ProblemItem[]) : undefined,
    extensions:
      extensions !== null && typeof extensions === 'object'
        ? (extensions as Record<string, unknown>)
        : undefined,
    source,
  }
}

/** The HTTP error of a value errorshape recognises by its shape, or undefined. */
function recognise(value: unknown, validationStatus: ValidationStatus): HttpError | undefined {
  if (value === null || typeof value !== 'object') return undefined
  return fromValidationFailure(value, validationStatus) ?? fromUploadFailure(value)
}

/**
 * Turns any thrown value into an ErrorRecord; a failed validation is answered with
 * `validationStatus` (400 or 422).
 *
 * @example
 * normalizeError(new NotFound('No user 42'), []).status // 404
 * normalizeError('oops', []).status                     // 500
 */
export function normalizeError(
  thrown: unknown,
  mappers: readonly ErrorMapper[],
  onMapperFault?: (fault: unknown) => void,
  validationStatus: ValidationStatus = 422,
): ErrorRecord {
  const mapped = withValidationStatusOf(
    mappers.length > 0 ? tryMappers(thrown, mappers, onMapperFault) : thrown,
    validationStatus,
  )
  // errorshape's own errors carry no validation issues to read.
  const ownMapped = typeof mapped === 'object' && mapped !== null && isOwnError(mapped)
  // A validation failure (zod, valibot, arktype, Joi, celebrate, class-validator …) with no
  // status → 422 with `errors`; a multipart form multer or busboy refused → 413, 400 or 415.
  const error = ownMapped ? mapped : (recognise(mapped, validationStatus) ?? mapped)
  if (error === null || (typeof error !== 'object' && typeof error !== 'function')) {
    return unknownRecord(error)
  }
  if (typeof error === 'function') return unknownRecord(error)

  const own = ownMapped || isOwnError(error)
  // Boom keeps its status in `output` (and is never exposed by a flag of its own).
  const boomOutput = isBoomOf(error) === true ? readProperty(error, 'output') : undefined
  let status: number | undefined
  if (own) {
    const value = statusOf(error)
    status = isErrorStatus(value) ? value : undefined
  } else if (boomOutput !== undefined) {
    const value = readProperty(boomOutput, 'statusCode')
    status = isFailureStatus(value) ? value : undefined
  } else {
    const value = statusOf(error)
    const fallback = readProperty(error, 'statusCode')
    status = isFailureStatus(value) ? value : isFailureStatus(fallback) ? fallback : undefined
    // formidable's FormidableError (koa-body passes it on) keeps its status in `httpCode`.
    if (status === undefined) {
      const httpCode = readProperty(error, 'httpCode')
      status = isFailureStatus(httpCode) ? httpCode : undefined
    }
  }

  if (status === undefined) {
    return { ...unknownRecord(error), message: readString(error, 'message') }
  }

  return toRecord(status, rawFieldsOf(error, own, boomOutput ?? error), error)
}

/**
 * The fields of an error with a usable status (the headers from `headersFrom`: Boom's
 * output). Read directly, the usual error's plain properties; when a getter or trap throws,
 * all are read again one by one, so only the one that throws counts as absent.
 */
function rawFieldsOf(error: object, own: boolean, headersFrom: unknown): RawFields {
  try {
    return directFields(error, own, headersFrom)
  } catch {
    return guardedFields(error, own, headersFrom)
  }
}

// Problem members are taken from errorshape errors only: body-parser's `type` is
// 'entity.parse.failed', and a Node error's `code` is an implementation detail.

/** The fields read as plain properties, each at its own site (V8 caches each one's shape). */
function directFields(error: object, own: boolean, headersFrom: unknown): RawFields {
  const value = error as Record<string, unknown>
  return {
    expose: value.expose,
    headers: (headersFrom as Record<string, unknown>).headers,
    message: value.message,
    type: own ? value.type : undefined,
    title: own ? value.title : undefined,
    titles: own ? value.titles : undefined,
    detail: own ? value.detail : undefined,
    instance: own ? value.instance : undefined,
    code: own ? value.code : undefined,
    errors: own ? value.errors : undefined,
    extensions: own ? value.extensions : undefined,
  }
}

/** The fields read one by one, a throwing getter or trap giving undefined. */
function guardedFields(error: object, own: boolean, headersFrom: unknown): RawFields {
  const member = (key: string): unknown => (own ? readProperty(error, key) : undefined)
  return {
    expose: readProperty(error, 'expose'),
    headers: readProperty(headersFrom, 'headers'),
    message: readProperty(error, 'message'),
    type: member('type'),
    title: member('title'),
    titles: member('titles'),
    detail: member('detail'),
    instance: member('instance'),
    code: member('code'),
    errors: member('errors'),
    extensions: member('extensions'),
  }
}

/**
 * The status errorshape answers a thrown value with, after the app's `map` functions: what
 * an adapter needs to know when the response is not its to write. A failed validation
 * counts as `validationStatus` (422 unless given).
 *
 * @example
 * getErrorStatus(new NotFound())          // 404
 * getErrorStatus(new Error('db down'))    // 500
 * getErrorStatus({ statusCode: 429 })     // 429
 */
export function getErrorStatus(
  error: unknown,
  map?: ErrorMapper | readonly ErrorMapper[],
  validationStatus: ValidationStatus = 422,
): number {
  const mappers: readonly ErrorMapper[] =
    map === undefined ? [] : typeof map === 'function' ? [map] : Array.isArray(map) ? map : []
  return normalizeError(error, mappers, undefined, validationStatus).status
}
