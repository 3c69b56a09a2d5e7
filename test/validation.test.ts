import { type } from 'arktype'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  BadRequest,
  createFormatter,
  toJsonPointer,
  UnprocessableContent,
  validationError,
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
