import type { AddressInfo } from 'node:net'
import 'reflect-metadata'
import { type } from 'arktype'
import { CelebrateError, Joi } from 'celebrate'
import { IsInt, validate } from 'class-validator'
import Fastify, { type FastifyInstance } from 'fastify'
import * as v from 'valibot'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { errorHandler as fastifyErrorHandler, type FastifyOptions } from '../adapters/fastify.js'
import {
  BadRequest,
  createFormatter,
  NotFound,
  toJsonPointer,
  UnprocessableContent,
  validationError,
  type FormatterOptions,
  type ValidationIssue,
} from '../src/index.js'

const format = createFormatter({ onWarning: false })
const request = { method: 'POST', url: '/users', headers: {} }

function problemOf(thrown: unknown): { status: number; document: Record<string, unknown> } {
  const shaped = format(thrown, request)
  return {
    status: shaped.status,
    document: JSON.parse(shaped.body ?? '') as Record<string, unknown>,
  }
}

async function issuesOf(
  schema: { '~standard': { validate(value: unknown): unknown } },
  value: unknown,
): Promise<readonly ValidationIssue[]> {
  const result = (await schema['~standard'].validate(value)) as {
    issues?: readonly ValidationIssue[]
  }
  if (result.issues === undefined) throw new Error('expected the value to be invalid')
  return result.issues
}

const input = { email: 'nope', tags: ['a', 7] }

describe('validationError with real Standard Schema libraries', () => {
  it('turns zod 4 issues into errors with JSON Pointers', async () => {
    const schema = z.object({ email: z.email(), tags: z.array(z.string()) })
    const error = validationError(await issuesOf(schema, input))
    expect(error).toBeInstanceOf(UnprocessableContent)
    expect(error.status).toBe(422)
    expect(error.errors).toEqual([
      { detail: 'Invalid email address', pointer: '#/email' },
      { detail: 'Invalid input: expected string, received number', pointer: '#/tags/1' },
    ])
  })

  it('turns valibot issues (path segments as { key } objects) into errors', async () => {
    const schema = v.object({ email: v.pipe(v.string(), v.email()), tags: v.array(v.string()) })
    const error = validationError(await issuesOf(schema, input))
    expect(error.errors?.map((item) => item.pointer)).toEqual(['#/email', '#/tags/1'])
    expect(error.errors?.[0]?.detail).toMatch(/email/i)
  })

  it('turns arktype issues into errors', async () => {
    const schema = type({ email: 'string.email', tags: 'string[]' })
    const error = validationError(await issuesOf(schema, input))
    expect(error.errors?.map((item) => item.pointer)).toEqual(['#/email', '#/tags/1'])
    expect(error.errors?.[1]?.detail).toBe('tags[1] must be a string (was a number)')
  })

  it('takes a ZodError itself', () => {
    const parsed = z.object({ age: z.number() }).safeParse({ age: 'x' })
    expect(validationError(parsed.error!).errors).toEqual([
      { detail: 'Invalid input: expected number, received string', pointer: '#/age' },
    ])
  })
})

describe('toJsonPointer', () => {
  it.each([
    [[], '#'],
    [['users', 0, 'email'], '#/users/0/email'],
    [['a/b'], '#/a~1b'],
    [['m~n'], '#/m~0n'],
    [['~/'], '#/~0~1'],
    [['c%d'], '#/c%25d'],
    [['c d', 'e"f'], '#/c%20d/e%22f'],
    [['ü', '😀'], '#/%C3%BC/%F0%9F%98%80'],
    [['a#b', 'x?y', "it's"], "#/a%23b/x?y/it's"],
    [['\ud800'], '#/%EF%BF%BD'],
    [[{ key: 'age' }, { key: 3 }], '#/age/3'],
    [[Symbol('sym')], '#/sym'],
  ] as const)('writes %j as %s', (path, pointer) => {
    expect(toJsonPointer(path)).toBe(pointer)
  })

  it.each([
    ['#/body', '#/body/age'],
    ['/body', '#/body/age'],
    ['#/a%20b', '#/a%20b/age'],
    ['body', '#/age'],
    ['#/a b', '#/age'],
  ])('starts at the prefix %s (an invalid one is ignored)', (prefix, pointer) => {
    expect(toJsonPointer(['age'], prefix)).toBe(pointer)
  })
})

describe('validationError options', () => {
  it('passes the error options on and starts pointers at pointerPrefix', () => {
    const error = validationError([{ message: 'is required', path: ['name'] }], {
      pointerPrefix: '#/body',
      code: 'INVALID_USER',
      title: 'Invalid user',
      detail: 'Fix the fields below',
      type: 'https://errors.example.com/invalid-user',
      message: 'user invalid',
    })
    expect(error).toMatchObject({
      code: 'INVALID_USER',
      title: 'Invalid user',
      detail: 'Fix the fields below',
      type: 'https://errors.example.com/invalid-user',
      message: 'user invalid',
      errors: [{ detail: 'is required', pointer: '#/body/name' }],
    })
    expect(error).not.toHaveProperty('pointerPrefix')
  })

  it('gives a root-level issue the pointer of the whole document', () => {
    expect(validationError([{ message: 'must be an object' }]).errors).toEqual([
      { detail: 'must be an object', pointer: '#' },
    ])
  })

  it('never throws: items that are not issues are left out', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap')
        },
      },
    )
    const issues = [null, 'text', { message: 3 }, hostile, { message: 'ok', path: ['a'] }]
    expect(validationError(issues as never).errors).toEqual([{ detail: 'ok', pointer: '#/a' }])
    expect(validationError(hostile as never, hostile as never).errors).toEqual([])
  })
})

describe('the formatter, given a thrown validation failure', () => {
  it('answers a thrown ZodError with 422 and its issues', () => {
    const schema = z.object({ user: z.object({ 'e/mail': z.email() }) })
    const { status, document } = problemOf(schema.safeParse({ user: { 'e/mail': 'x' } }).error)
    expect(status).toBe(422)
    expect(document).toMatchObject({
      title: 'Unprocessable Content',
      status: 422,
      errors: [{ detail: 'Invalid email address', pointer: '#/user/e~1mail' }],
    })
  })

  it('answers what zod.parse, valibot.parse and arktype.assert throw with 422', () => {
    const thrown: unknown[] = []
    for (const run of [
      () => z.object({ age: z.number() }).parse({ age: 'x' }),
      () => v.parse(v.object({ age: v.number() }), { age: 'x' }),
      () => type({ age: 'number' }).assert({ age: 'x' }),
    ]) {
      try {
        run()
      } catch (error) {
        thrown.push(error)
      }
    }
    expect(thrown).toHaveLength(3)
    for (const error of thrown) {
      const { status, document } = problemOf(error)
      expect(status).toBe(422)
      expect((document.errors as { pointer: string }[]).map((item) => item.pointer)).toEqual([
        '#/age',
      ])
    }
  })

  it('answers any error carrying Standard Schema issues, a plain object too', () => {
    expect(problemOf({ issues: [{ message: 'too short', path: ['name'] }] }).status).toBe(422)
    const error = Object.assign(new Error('invalid'), { issues: [{ message: 'bad' }] })
    expect(problemOf(error).document.errors).toEqual([{ detail: 'bad', pointer: '#' }])
  })

  it('keeps the status of an error that has its own', () => {
    const error = Object.assign(new Error('bad query'), {
      status: 400,
      issues: [{ message: 'bad', path: ['q'] }],
    })
    expect(problemOf(error).status).toBe(400)
    expect(problemOf(new BadRequest({ extensions: { issues: [] } })).status).toBe(400)
  })

  it('leaves alone errors whose issues are not validation issues', () => {
    expect(problemOf(Object.assign(new Error('x'), { issues: [] })).status).toBe(500)
    expect(problemOf(Object.assign(new Error('x'), { issues: ['a', 'b'] })).status).toBe(500)
    expect(problemOf(Object.assign(new Error('x'), { issues: [{ title: 'bug' }] })).status).toBe(
      500,
    )
  })

  it('lets a mapper decide first', () => {
    const mapped = createFormatter({
      onWarning: false,
      map: (error) => (error instanceof z.ZodError ? new BadRequest('Bad input') : undefined),
    })
    const error = z.object({ age: z.number() }).safeParse({}).error
    expect(mapped(error, request).status).toBe(400)
  })

  it('keeps the thrown ZodError as the cause in debug output', () => {
    const debug = createFormatter({ debug: true, onWarning: false })
    const error = z.object({ age: z.number() }).safeParse({}).error
    const document = JSON.parse(debug(error, request).body ?? '') as {
      debug: { causes: { name: string }[] }
    }
    expect(document.debug.causes[0]?.name).toBe('ZodError')
  })
})

describe('validationError with a status of its own', () => {
  it('fixes 400 or 422, and is typed by it', () => {
    const issues = [{ message: 'bad', path: ['a'] }]
    const fixed = validationError(issues, { status: 400, code: 'BAD' })
    expect(fixed).toBeInstanceOf(BadRequest)
    expectTypeOf(fixed).toEqualTypeOf<BadRequest>()
    expectTypeOf(validationError(issues)).toEqualTypeOf<UnprocessableContent>()
    expect(fixed).toMatchObject({ status: 400, code: 'BAD', errors: [{ pointer: '#/a' }] })
    expect(fixed).not.toHaveProperty('pointerPrefix')
    expect(validationError(issues, { status: 422 })).toBeInstanceOf(UnprocessableContent)
    // Any other status is no option of its: the error follows the formatter.
    expect(validationError(issues, { status: 500 } as never).status).toBe(422)
  })
})

/** One thrown value of each validation family, made by its library. */
async function failures(): Promise<[string, unknown][]> {
  const thrown = (run: () => unknown): unknown => {
    try {
      run()
    } catch (error) {
      return error
    }
    throw new Error('expected a throw')
  }
  const celebrated = new CelebrateError('Validation failed', { celebrated: true })
  celebrated.details.set('body', Joi.object({ age: Joi.number() }).validate({ age: 'x' }).error!)
  class Person {
    age?: unknown
  }
  IsInt()(Person.prototype, 'age')
  const person = Object.assign(new Person(), { age: 'x' })
  return [
    ['zod', thrown(() => z.object({ age: z.number() }).parse({ age: 'x' }))],
    ['valibot', thrown(() => v.parse(v.object({ age: v.number() }), { age: 'x' }))],
    ['arktype', thrown(() => type({ age: 'number' }).assert({ age: 'x' }))],
    ['Standard Schema issues', { issues: [{ message: 'bad', path: ['age'] }] }],
    ['Joi', Joi.object({ age: Joi.number() }).validate({ age: 'x' }).error],
    ['celebrate', celebrated],
    ['class-validator', await validate(person)],
    ['validationError()', validationError([{ message: 'bad', path: ['age'] }])],
  ]
}

describe('the validationStatus option', () => {
  it.each([
    [undefined, 422],
    [422, 422],
    [400, 400],
  ] as const)('with %s answers every validation family with %s', async (option, status) => {
    const options: FormatterOptions =
      option === undefined ? { onWarning: false } : { onWarning: false, validationStatus: option }
    const formatter = createFormatter(options)
    for (const [family, error] of await failures()) {
      const shaped = formatter(error, request)
      const document = JSON.parse(shaped.body ?? '') as { status: number; errors: unknown[] }
      expect([family, shaped.status, document.status]).toEqual([family, status, status])
      expect([family, document.errors]).toEqual([family, [expect.objectContaining({})]])
      expect(document.errors[0]).toMatchObject({ pointer: expect.stringMatching(/\/age$/) })
    }
  })

  it("keeps a validationError's members when its status follows the formatter", () => {
    const formatter = createFormatter({ onWarning: false, validationStatus: 400 })
    const error = validationError([{ message: 'bad', path: ['age'] }], {
      pointerPrefix: '#/body',
      code: 'INVALID_USER',
      title: 'Invalid user',
      detail: 'Fix the fields below',
      headers: { 'X-Reason': 'schema' },
    })
    const shaped = formatter(error, request)
    expect(shaped.status).toBe(400)
    expect(shaped.headers['x-reason']).toBe('schema')
    expect(JSON.parse(shaped.body ?? '')).toEqual({
      type: 'about:blank',
      title: 'Invalid user',
      status: 400,
      detail: 'Fix the fields below',
      instance: '/users',
      errors: [{ detail: 'bad', pointer: '#/body/age' }],
      code: 'INVALID_USER',
    })
    // Without a message of its own, it shows no detail: 422's phrase is no 400's message.
    const bare = formatter(validationError([{ message: 'bad' }]), request)
    expect(JSON.parse(bare.body ?? '')).not.toHaveProperty('detail')
    expect(error.status).toBe(422) // what was thrown is not changed
  })

  it('follows it for a validationError a map function returns, and leaves other statuses alone', () => {
    const formatter = createFormatter({
      onWarning: false,
      validationStatus: 400,
      map: (error) =>
        error instanceof RangeError ? validationError([{ message: error.message }]) : undefined,
    })
    expect(formatter(new RangeError('out of range'), request).status).toBe(400)
    const fixed = validationError([{ message: 'bad' }], { status: 422 })
    expect(formatter(fixed, request).status).toBe(422)
    expect(formatter(new NotFound(), request).status).toBe(404)
    const own = Object.assign(new Error('x'), { status: 409, issues: [{ message: 'taken' }] })
    expect(formatter(own, request).status).toBe(409)
    expect(formatter(new Error('db down'), request).status).toBe(500)
  })

  it.each([401, 200, '400', null, 422.5, Number.NaN])(
    'rejects %s with a TypeError naming the allowed values',
    (value) => {
      expect(() => createFormatter({ validationStatus: value as never })).toThrow(
        new TypeError('errorshape: option validationStatus must be 400 or 422'),
      )
    },
  )
})

describe("the validationStatus option and Fastify's schema validation (a real server)", () => {
  let app: FastifyInstance | undefined
  afterEach(async () => {
    await app?.close()
    app = undefined
  })

  async function start(options: FastifyOptions): Promise<string> {
    app = Fastify()
    await app.register(fastifyErrorHandler, { onError: false, onWarning: false, ...options })
    const body = {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' } },
    } as const
    app.post('/users', { schema: { body } }, () => 'created')
    app.get(
      '/items',
      { schema: { querystring: { type: 'object', properties: { page: { type: 'integer' } } } } },
      () => 'items',
    )
    app.post(
      '/teapots',
      {
        schema: { body },
        schemaErrorFormatter: () => Object.assign(new Error('no tea'), { statusCode: 418 }),
      },
      () => 'tea',
    )
    await app.listen({ port: 0, host: '127.0.0.1' })
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  }

  const postJson = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })

  it.each([
    [{}, 422],
    [{ validationStatus: 422 }, 422],
    [{ validationStatus: 400 }, 400],
  ] as const)('with %o answers a failed body or query schema with %s', async (options, status) => {
    const base = await start(options)
    const failed = await postJson(`${base}/users`, {})
    expect(failed.status).toBe(status)
    expect(await failed.json()).toMatchObject({
      status,
      detail: "body must have required property 'name'",
      errors: [{ detail: "must have required property 'name'", pointer: '#/body/name' }],
    })
    const query = await fetch(`${base}/items?page=x`)
    expect(query.status).toBe(status)
    expect(await query.json()).toMatchObject({ errors: [{ pointer: '#/querystring/page' }] })
  })

  it('keeps another 4xx a schemaErrorFormatter gave, and the 400 of a body that is no JSON', async () => {
    const base = await start({ validationStatus: 422 })
    const teapot = await postJson(`${base}/teapots`, {})
    expect(teapot.status).toBe(418)
    expect(await teapot.json()).toMatchObject({ status: 418, detail: 'no tea' })
    const broken = await fetch(`${base}/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name":',
    })
    expect(broken.status).toBe(400)
  })

  it('rejects a bad validationStatus when registered, naming it', async () => {
    app = Fastify()
    await expect(
      app.register(fastifyErrorHandler, { validationStatus: 401 } as never),
    ).rejects.toThrow('option validationStatus must be 400 or 422')
  })
})
