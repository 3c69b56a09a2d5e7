/**
 * OpenAPI 3.1 descriptions of errorshape's error responses: per status, the description, the
 * header fields that status carries, the content in each format on offer, and examples the
 * formatter itself renders, so the document cannot drift from what is sent.
 */
import { createError, isHttpError, type AnyErrorOptions, type HttpError } from './errors.js'
import { createFormatter } from './format.js'
import { problemTypeOf } from './problem-type.js'
import { isNoResponse, requiredFieldOf } from './rules.js'
import { DEFAULT_FORMATS } from './options.js'
import { problemSchema } from './schema.js'
import { getStatus } from './statuses.js'
import type { FormatName, Formatter, ShapedResponse } from './types.js'

/**
 * The JSON Schema subset the OpenAPI helpers write (OpenAPI 3.1 schemas are JSON Schema
 * 2020-12), with mutable arrays so it fits the Schema Object types of zod-openapi and
 * @hono/zod-openapi.
 *
 * @example
 * const schema: OpenApiSchema = { $ref: '#/components/schemas/Problem' }
 */
export interface OpenApiSchema {
  $id?: string
  $ref?: string
  title?: string
  description?: string
  type?: 'object' | 'array' | 'string' | 'integer'
  format?: string
  pattern?: string
  default?: string
  const?: string
  minimum?: number
  maximum?: number
  minItems?: number
  properties?: Record<string, OpenApiSchema>
  items?: OpenApiSchema
  required?: string[]
  allOf?: OpenApiSchema[]
  oneOf?: OpenApiSchema[]
  examples?: string[]
  /** Extensions (OpenAPI 3.1 §4.9): none are written, but the Schema Object types have them. */
  [extension: `x-${string}`]: unknown
}

/**
 * An OpenAPI Header Object.
 *
 * @example
 * const allow: OpenApiHeader = { description: 'The methods …', required: true, schema: { type: 'string' } }
 */
export interface OpenApiHeader {
  description: string
  required: boolean
  schema: OpenApiSchema
  example?: string
}

/**
 * An OpenAPI Media Type Object: the schema, and one example or several by name.
 *
 * @example
 * const media: OpenApiMediaType = { schema: { type: 'string' }, example: '404 Not Found\n' }
 */
export interface OpenApiMediaType {
  schema: OpenApiSchema
  example?: unknown
  examples?: Record<string, { summary: string; value: unknown }>
}

/**
 * An OpenAPI Response Object of an error status.
 *
 * @example
 * const responses: Record<string, OpenApiResponse> = openApiResponses([NotFound])
 * responses['404']?.description // 'Not Found'
 */
export interface OpenApiResponse {
  description: string
  headers: Record<string, OpenApiHeader>
  content: Record<string, OpenApiMediaType>
}

/**
 * A response as Fastify's `schema.response` takes it and @fastify/swagger reads it: the
 * header fields as schemas (@fastify/swagger has no way to mark one required).
 *
 * @example
 * app.get('/users/:id', { schema: { response: openApiResponses([NotFound], { target: 'fastify' }) } }, handler)
 */
export interface FastifyResponseSchema {
  description: string
  headers: Record<string, OpenApiSchema>
  content: Record<string, OpenApiMediaType>
}

/**
 * What `openApiResponses` documents: an errorshape error class (a problem type's too), or a
 * status 400–599.
 *
 * @example
 * const documented: DocumentedError[] = [NotFound, MethodNotAllowed, 429]
 */
export type DocumentedError = number | { readonly status: number; readonly prototype: HttpError }

/**
 * Options of `openApiComponents`, shared with `openApiResponses` so both name the schemas the
 * same way.
 *
 * @example
 * openApiComponents({ schemaNames: { problem: 'ErrorBody' } })
 */
export interface OpenApiComponentOptions {
  /**
   * Where the document goes: `'openapi'` for an OpenAPI document (and @hono/zod-openapi,
   * zod-openapi), `'fastify'` for Fastify route schemas read by @fastify/swagger: schemas
   * carry their name as `$id` (for `app.addSchema`), references are the bare name, header
   * fields are schemas.
   * @default 'openapi'
   */
  readonly target?: 'openapi' | 'fastify'
  /**
   * The component names of the problem schemas.
   * @default { problem: 'Problem', validationProblem: 'ValidationProblem' }
   */
  readonly schemaNames?: { readonly problem?: string; readonly validationProblem?: string }
}

/**
 * Options of `openApiResponses`.
 *
 * @example
 * openApiResponses([NotFound, 429], { typeBase: 'https://errors.example.com/', formats: ['problem+json'] })
 */
export interface OpenApiResponsesOptions extends OpenApiComponentOptions {
  /**
   * What comes before a schema name in a `$ref`.
   * @default '#/components/schemas/' ('' with target 'fastify')
   */
  readonly refPrefix?: string
  /**
   * The formats to document, as the formatter's `formats` option names them.
   * @default the formatter's default: ['problem+json', 'json', 'html', 'text', 'problem+xml', 'xml']
   */
  readonly formats?: readonly FormatName[]
  /** The formatter's `typeBase`, when it has one: the `type` of each status's problems. */
  readonly typeBase?: string
  /**
   * Problem types documented under their status whenever that status is documented (a type
   * listed in `errors` is documented whatever this says).
   */
  readonly problemTypes?: readonly Exclude<DocumentedError, number>[]
  /**
   * The status of validation failures, documented with the ValidationProblem schema (its
   * `errors` required) and an example with `errors`.
   * @default 422
   */
  readonly validationStatus?: number
}

// An OpenAPI component name (OpenAPI 3.1 §4.8.7.1).
const COMPONENT_NAME = /^[a-zA-Z0-9.\-_]+$/

/** What each status's example error is given, so its required and usual fields are shown. */
const EXAMPLE_OPTIONS: Readonly<Record<number, AnyErrorOptions>> = {
  401: { challenge: { scheme: 'Bearer', realm: 'api' } },
  405: { allow: ['GET', 'POST'] },
  407: { challenge: { scheme: 'Basic', realm: 'proxy' } },
  413: { retryAfter: 120 },
  415: { accept: ['application/json'] },
  416: { size: 1234 },
  426: { upgrade: 'TLS/1.3' },
  429: { retryAfter: 120 },
  451: { blockedBy: 'https://authority.example/' },
  503: { retryAfter: 120 },
}
const VALIDATION_EXAMPLE: AnyErrorOptions = {
  errors: [{ detail: 'must be a positive integer', pointer: '#/age' }],
}
const EXAMPLE_REQUEST = { method: 'GET', url: '/example', headers: {} } as const

/** Each header field errorshape may send with an error, documented. */
const FIELDS: Readonly<Record<string, { name: string; description: string; pattern?: string }>> = {
  allow: { name: 'Allow', description: 'The methods the resource supports (RFC 9110 §10.2.1).' },
  'www-authenticate': {
    name: 'WWW-Authenticate',
    description:
      'The challenges of the authentication schemes the resource takes (RFC 9110 §11.6.1).',
  },
  'proxy-authenticate': {
    name: 'Proxy-Authenticate',
    description: 'The challenges of the authentication schemes the proxy takes (RFC 9110 §11.7.1).',
  },
  'retry-after': {
    name: 'Retry-After',
    description:
      'How long to wait before trying again: seconds, or an HTTP-date (RFC 9110 §10.2.3). Sent when the error was given retryAfter.',
    pattern:
      '^(?:[0-9]+|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2} GMT)$',
  },
  'content-range': {
    name: 'Content-Range',
    description:
      'The complete length of the representation, as "bytes */length" (RFC 9110 §14.4). Sent when the error was given size.',
    pattern: '^bytes \\*/[0-9]+$',
  },
  upgrade: {
    name: 'Upgrade',
    description:
      'The protocols to switch to (RFC 9110 §7.8), with Connection: upgrade. Sent over HTTP/1.1 only: HTTP/2 has no Upgrade (RFC 9113 §8.2.2).',
  },
  accept: {
    name: 'Accept',
    description:
      'The media types the resource takes (RFC 9110 §12.5.1). Sent when the error was given accept.',
  },
  link: {
    name: 'Link',
    description:
      'Who blocks the resource: <uri>; rel="blocked-by" (RFC 7725 §4). Sent when the error was given blockedBy.',
  },
  'content-language': {
    name: 'Content-Language',
    description: 'The language of the title and texts: the catalog Accept-Language chose.',
  },
  vary: {
    name: 'Vary',
    description:
      "The request fields the response varies with: Accept and Accept-Language, and the error's own.",
  },
}

/** A documented error, resolved: its status and its example. */
interface Documented {
  readonly status: number
  readonly make: (options: AnyErrorOptions | undefined) => unknown
}

/** One format to document, with the formatter that renders its examples. */
interface DocumentedFormat {
  readonly name: FormatName
  readonly mediaType: string
  readonly format: Formatter
}

/**
 * A format and its media type, as the formatter itself says: a formatter that offers only
 * this format answers with it, and its Content-Type names the media type.
 */
function documentedFormatOf(name: FormatName, typeBase: string | undefined): DocumentedFormat {
  const format = createFormatter({
    formats: [name],
    onWarning: false,
    ...(typeBase === undefined ? {} : { typeBase }),
  })
  const contentType = format(new Error(), { headers: {} }).headers['content-type']
  const mediaType = String(contentType).split(';')[0]?.trim() ?? ''
  return { name, mediaType, format }
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json')
}

/** Options checked and resolved once. */
interface Resolved {
  readonly target: 'openapi' | 'fastify'
  readonly problemRef: string
  readonly validationRef: string
  readonly formats: readonly DocumentedFormat[]
  /** The problem+json formatter: each example's type, title and header fields. */
  readonly problemJson: Formatter
  readonly problemTypes: readonly Documented[]
  readonly validationStatus: number
}

/** The TypeError of a bad argument: `what` names the function and the argument. */
function fail(what: string, expected: string): never {
  throw new TypeError(`errorshape: ${what} must be ${expected}`)
}

function isDocumentedStatus(status: unknown): status is number {
  return (
    typeof status === 'number' &&
    Number.isInteger(status) &&
    status >= 400 &&
    status <= 599 &&
    !isNoResponse(status) // 444 and 499 answer with no response to document
  )
}

/** One entry of `errors`, checked: a status, or an errorshape error class. */
function documentedOf(item: unknown, where: string): Documented {
  if (typeof item === 'number') {
    if (!isDocumentedStatus(item)) fail(where, 'a status 400–599 other than 444 and 499')
    return { status: item, make: (options) => createError(item, options) }
  }
  const status: unknown =
    typeof item === 'function' ? (item as { status?: unknown }).status : undefined
  const prototype: unknown =
    typeof item === 'function' ? (item as { prototype?: unknown }).prototype : undefined
  if (!isDocumentedStatus(status) || !isHttpError(prototype)) {
    fail(where, 'an errorshape error class (NotFound, a defineProblemType class …) or a status')
  }
  const ErrorClass = item as new (options?: AnyErrorOptions) => unknown
  return {
    status,
    make: (options) => {
      try {
        return new ErrorClass(options)
      } catch {
        // A subclass whose constructor takes other arguments: its type's own error.
        const type = problemTypeOf(item)
        const fixed = type === undefined ? {} : { type: type.type, title: type.title }
        return createError(status, { ...options, ...fixed })
      }
    },
  }
}

function schemaNameOf(name: unknown, fallback: string, option: string): string {
  if (name === undefined) return fallback
  if (typeof name !== 'string' || !COMPONENT_NAME.test(name)) {
    fail(option, 'a component name of letters, digits, ".", "-" and "_"')
  }
  return name
}

function resolveNames(
  options: OpenApiComponentOptions,
  fn: string,
): { problem: string; validation: string } {
  const { schemaNames } = options
  if (schemaNames !== undefined && (schemaNames === null || typeof schemaNames !== 'object')) {
    fail(`${fn} option schemaNames`, 'an object with problem and validationProblem')
  }
  const problem = schemaNameOf(schemaNames?.problem, 'Problem', `${fn} option schemaNames.problem`)
  const validation = schemaNameOf(
    schemaNames?.validationProblem,
    'ValidationProblem',
    `${fn} option schemaNames.validationProblem`,
  )
  if (problem === validation) fail(`${fn} option schemaNames`, 'two different names')
  return { problem, validation }
}

function resolveTarget(target: unknown, fn: string): 'openapi' | 'fastify' {
  if (target === undefined) return 'openapi'
  if (target !== 'openapi' && target !== 'fastify') {
    fail(`${fn} option target`, "'openapi' or 'fastify'")
  }
  return target
}

const FN = 'openApiResponses'

function resolve(options: OpenApiResponsesOptions): Resolved {
  if (options === null || typeof options !== 'object') fail(`${FN} options`, 'an object')
  const target = resolveTarget(options.target, FN)
  const names = resolveNames(options, FN)
  const { refPrefix = target === 'fastify' ? '' : '#/components/schemas/' } = options
  if (typeof refPrefix !== 'string') {
    fail(`${FN} option refPrefix`, "a string such as '#/components/schemas/'")
  }
  const { formats = DEFAULT_FORMATS, typeBase, problemTypes = [], validationStatus = 422 } = options
  // The formatter checks formats and typeBase as it checks its own options.
  createFormatter({ formats, ...(typeBase === undefined ? {} : { typeBase }) })
  const documentedFormats = formats.map((name) => documentedFormatOf(name, typeBase))
  if (!Array.isArray(problemTypes)) fail(`${FN} option problemTypes`, 'a list')
  const types = problemTypes.map((type: unknown, index) => {
    const where = `${FN} option problemTypes[${index}]`
    if (problemTypeOf(type) === undefined) fail(where, 'a defineProblemType class')
    return documentedOf(type, where)
  })
  if (!isDocumentedStatus(validationStatus)) {
    fail(`${FN} option validationStatus`, 'a status 400–599')
  }
  return {
    target,
    problemRef: `${refPrefix}${names.problem}`,
    validationRef: `${refPrefix}${names.validation}`,
    formats: documentedFormats,
    problemJson: documentedFormatOf('problem+json', typeBase).format,
    problemTypes: types,
    validationStatus,
  }
}

/** The examples of one status: the problem+json response of each documented error. */
interface Example {
  readonly name: string
  readonly type: string
  readonly title: string
  readonly error: unknown
  readonly response: ShapedResponse
}

function problemOf(response: ShapedResponse): { type: string; title: string } {
  return JSON.parse(response.body ?? '{}') as { type: string; title: string }
}

/** The examples of one status, one per problem type (the first error of a type wins). */
function examplesOf(
  status: number,
  documented: readonly Documented[],
  resolved: Resolved,
): Example[] {
  const { validationStatus, problemJson } = resolved
  const options = status === validationStatus ? VALIDATION_EXAMPLE : EXAMPLE_OPTIONS[status]
  const examples: Example[] = []
  for (const { make } of documented) {
    const error = make(options)
    const response = problemJson(error, EXAMPLE_REQUEST)
    const { type, title } = problemOf(response)
    if (examples.some((example) => example.type === type)) continue
    let name = exampleNameOf(type, status)
    if (examples.some((example) => example.name === name)) name = `${name}-${examples.length + 1}`
    examples.push({ name, type, title, error, response })
  }
  return examples
}

/** An example's name: the status for about:blank, else the last segment of its type URI. */
function exampleNameOf(type: string, status: number): string {
  if (type === 'about:blank') return String(status)
  const segment = type
    .replace(/[?#].*$/, '')
    .split(/[/:]/)
    .filter(Boolean)
    .pop()
  return segment ?? type
}

/** The schema of a JSON body: the component, narrowed to the types this status sends. */
function jsonSchemaOf(examples: readonly Example[], ref: string): OpenApiSchema {
  if (examples.every((example) => example.type === 'about:blank')) return { $ref: ref }
  const variants = examples.map(({ type, title }): OpenApiSchema => ({
    title,
    type: 'object',
    properties: { type: { const: type } },
  }))
  const [only] = variants
  return {
    allOf: [
      { $ref: ref },
      variants.length === 1 && only !== undefined ? only : { oneOf: variants },
    ],
  }
}

/** The example body of one error in one format: parsed JSON, or the text itself. */
function bodyOf(error: unknown, documented: DocumentedFormat): unknown {
  const { body } = documented.format(error, EXAMPLE_REQUEST)
  return isJson(documented.mediaType) ? JSON.parse(body ?? '{}') : body
}

function mediaTypeOf(
  examples: readonly Example[],
  schemaRef: string,
  documented: DocumentedFormat,
): OpenApiMediaType {
  const json = isJson(documented.mediaType)
  const media: OpenApiMediaType = {
    schema: json ? jsonSchemaOf(examples, schemaRef) : { type: 'string' },
  }
  // An HTML example would be a whole page of markup per status: the schema says enough.
  if (documented.name === 'html') return media
  const [only] = examples
  if (examples.length === 1 && only !== undefined) {
    media.example = bodyOf(only.error, documented)
  } else {
    media.examples = Object.fromEntries(
      examples.map(({ name, title, error }) => [
        name,
        { summary: title, value: bodyOf(error, documented) },
      ]),
    )
  }
  return media
}

/** The header fields of a status, lower-case, and whether errorshape always sends each. */
function fieldsOf(status: number): [string, boolean][] {
  // Required only where errorshape sends it on every protocol: a 426's Upgrade is HTTP/1.1's.
  const always = requiredFieldOf(status, 2)
  const info = getStatus(status)
  const named = [...(info?.requiredHeaders ?? []), ...(info?.recommendedHeaders ?? [])]
  const fields: [string, boolean][] = named
    .map((name) => name.toLowerCase())
    .filter((name) => FIELDS[name] !== undefined)
    .map((name) => [name, name === always])
  return [...fields, ['content-language', true], ['vary', true]]
}

function fieldExample(response: ShapedResponse, field: string): string | undefined {
  const value = response.headers[field]
  return Array.isArray(value) ? value.join(', ') : value
}

function headersOf(status: number, response: ShapedResponse): Record<string, OpenApiHeader> {
  const headers: Record<string, OpenApiHeader> = {}
  for (const [field, required] of fieldsOf(status)) {
    const doc = FIELDS[field]
    if (doc === undefined) continue
    const schema: OpenApiSchema = { type: 'string' }
    if (doc.pattern !== undefined) schema.pattern = doc.pattern
    const header: OpenApiHeader = { description: doc.description, required, schema }
    const example = fieldExample(response, field)
    if (example !== undefined) header.example = example
    headers[doc.name] = header
  }
  return headers
}

/** The same fields as Fastify route schemas: description and example inside the schema. */
function fastifyHeadersOf(headers: Record<string, OpenApiHeader>): Record<string, OpenApiSchema> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, { description, schema, example }]) => [
      name,
      { ...schema, description, ...(example === undefined ? {} : { examples: [example] }) },
    ]),
  )
}

/** Each documented status with its errors, in status order; problem types join their status. */
function groupByStatus(errors: readonly unknown[], resolved: Resolved): Map<number, Documented[]> {
  const byStatus = new Map<number, Documented[]>()
  errors.forEach((item, index) => {
    const documented = documentedOf(item, `${FN} errors[${index}]`)
    const list = byStatus.get(documented.status)
    if (list === undefined) byStatus.set(documented.status, [documented])
    else list.push(documented)
  })
  for (const type of resolved.problemTypes) byStatus.get(type.status)?.push(type)
  return new Map([...byStatus].sort(([a], [b]) => a - b))
}

/**
 * The OpenAPI 3.1 `responses` of errors: per status (a string key), a description (the
 * English title), the header fields that status carries — `required` where errorshape always
 * sends them: Allow on 405, WWW-Authenticate on 401, Proxy-Authenticate on 407, Content-Language
 * and Vary on every one — the content in each format on offer, its JSON schema a reference to
 * the Problem component (ValidationProblem for `validationStatus`) narrowed to the problem
 * types of that status, and examples the formatter renders for `GET /example`. A bad entry or
 * option is a TypeError.
 *
 * @example
 * const responses = openApiResponses([NotFound, MethodNotAllowed, 429, OutOfCredit])
 * const document = {
 *   openapi: '3.1.0',
 *   info: { title: 'Users', version: '1.0.0' },
 *   paths: { '/users/{id}': { get: { responses: { '200': { description: 'The user' }, ...responses } } } },
 *   components: openApiComponents(),
 * }
 */
export function openApiResponses(
  errors: readonly DocumentedError[],
  options?: OpenApiResponsesOptions & { readonly target?: 'openapi' },
): Record<string, OpenApiResponse>
export function openApiResponses(
  errors: readonly DocumentedError[],
  options: OpenApiResponsesOptions & { readonly target: 'fastify' },
): Record<string, FastifyResponseSchema>
export function openApiResponses(
  errors: readonly DocumentedError[],
  options?: OpenApiResponsesOptions,
): Record<string, OpenApiResponse | FastifyResponseSchema>
export function openApiResponses(
  errors: readonly DocumentedError[],
  options: OpenApiResponsesOptions = {},
): Record<string, OpenApiResponse | FastifyResponseSchema> {
  if (!Array.isArray(errors)) fail(`${FN} errors`, 'a list of error classes or statuses')
  const resolved = resolve(options)
  const responses: Record<string, OpenApiResponse | FastifyResponseSchema> = {}
  for (const [status, documented] of groupByStatus(errors, resolved)) {
    const examples = examplesOf(status, documented, resolved)
    const [first] = examples
    if (first === undefined) continue
    const ref = status === resolved.validationStatus ? resolved.validationRef : resolved.problemRef
    const headers = headersOf(status, first.response)
    const content = Object.fromEntries(
      resolved.formats.map((documentedFormat) => [
        documentedFormat.mediaType,
        mediaTypeOf(examples, ref, documentedFormat),
      ]),
    )
    const description = [...new Set(examples.map((example) => example.title))].join('; ')
    responses[String(status)] =
      resolved.target === 'fastify'
        ? { description, headers: fastifyHeadersOf(headers), content }
        : { description, headers, content }
  }
  return responses
}

/** problemSchema as a component: without `$schema` (the document's dialect applies), copied. */
function problemComponent(): OpenApiSchema {
  const { $schema: _dialect, ...schema } = problemSchema
  return JSON.parse(JSON.stringify(schema)) as OpenApiSchema
}

/** What a validation failure sends: a problem whose `errors` has at least one item. */
function validationComponent(): OpenApiSchema {
  const schema = problemComponent()
  const errors = schema.properties?.errors
  if (errors !== undefined) errors.minItems = 1
  return {
    ...schema,
    title: 'An RFC 9457 problem detail of a validation failure',
    description:
      'A validation failure (application/problem+json): one item in errors per invalid member, each with a JSON Pointer to it. Clients must ignore members they do not know.',
    required: [...(schema.required ?? []), 'errors'],
  }
}

/**
 * The components the responses refer to: `{ schemas: { Problem, ValidationProblem } }`, from
 * `problemSchema` (ValidationProblem requires a non-empty `errors`). With target 'fastify'
 * each schema carries its name as `$id`, ready for `app.addSchema`.
 *
 * @example
 * const document = { openapi: '3.1.0', info, paths, components: openApiComponents() }
 * for (const schema of Object.values(openApiComponents({ target: 'fastify' }).schemas)) app.addSchema(schema)
 */
export function openApiComponents(options: OpenApiComponentOptions = {}): {
  schemas: Record<string, OpenApiSchema>
} {
  const fn = 'openApiComponents'
  if (options === null || typeof options !== 'object') fail(`${fn} options`, 'an object')
  const target = resolveTarget(options.target, fn)
  const names = resolveNames(options, fn)
  const schemas: [string, OpenApiSchema][] = [
    [names.problem, problemComponent()],
    [names.validation, validationComponent()],
  ]
  return {
    schemas: Object.fromEntries(
      schemas.map(([name, schema]) => [
        name,
        target === 'fastify' ? { $id: name, ...schema } : schema,
      ]),
    ),
  }
}
