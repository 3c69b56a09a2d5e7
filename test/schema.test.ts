/**
 * problemSchema, checked with the ajv Fastify ships (draft 2020-12 build, with ajv-formats):
 * the schema compiles in strict mode, and real formatter output validates against it.
 */
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import {
  Conflict,
  createFormatter,
  MethodNotAllowed,
  NotFound,
  UnprocessableContent,
} from '../src/index.js'
import { problemSchema } from '../src/entries/schema.js'

interface Validate {
  (data: unknown): boolean
  errors?: unknown
}
interface Ajv {
  compile(schema: object): Validate
}

function loadAjv(): Ajv {
  // ajv is not a direct dependency: borrow the copy @fastify/ajv-compiler depends on.
  const fromFastify = createRequire(createRequire(import.meta.url).resolve('fastify'))
  const fromCompiler = createRequire(fromFastify.resolve('@fastify/ajv-compiler'))
  const { default: Ajv2020 } = fromCompiler('ajv/dist/2020') as {
    default: new (options: object) => Ajv
  }
  const { default: addFormats } = fromCompiler('ajv-formats') as {
    default: (ajv: Ajv) => Ajv
  }
  return addFormats(new Ajv2020({ strict: true, allErrors: true }))
}

const validate = loadAjv().compile(problemSchema)
const format = createFormatter({ onWarning: false, typeBase: 'https://errors.example.com/' })
const request = {
  method: 'GET',
  url: '/users/42?x=1',
  headers: { accept: 'application/problem+json' },
}

function documentOf(error: unknown): unknown {
  return JSON.parse(format(error, request).body ?? '')
}

describe('problemSchema', () => {
  it.each([
    ['a NotFound with detail and code', new NotFound('No user 42', { code: 'USER_NOT_FOUND' })],
    ['a 405', new MethodNotAllowed({ allow: ['GET'] })],
    [
      'a 422 with errors',
      new UnprocessableContent({ errors: [{ detail: 'must be positive', pointer: '#/age' }] }),
    ],
    ['a 409 with extensions', new Conflict({ extensions: { email: 'a@example.com' } })],
    ['a hidden 500', new Error('secret')],
    ['a thrown string', 'oops'],
  ])('accepts what the formatter renders for %s', (_, error) => {
    expect(validate(documentOf(error)), JSON.stringify(validate.errors)).toBe(true)
  })

  it.each([
    ['no status', { type: 'about:blank', title: 'Not Found' }],
    ['a status out of range', { type: 'about:blank', title: 'X', status: 600 }],
    ['a status as a string', { type: 'about:blank', title: 'X', status: '404' }],
    ['a type that is no URI reference', { type: 'a b', title: 'X', status: 404 }],
    [
      'an errors item without detail',
      { type: 'about:blank', title: 'X', status: 422, errors: [{}] },
    ],
  ])('rejects a document with %s', (_, document) => {
    expect(validate(document)).toBe(false)
  })

  it('is plain JSON, so it can be embedded in an OpenAPI document as is', () => {
    expect(JSON.parse(JSON.stringify(problemSchema))).toEqual(problemSchema)
    expect(problemSchema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
  })
})
