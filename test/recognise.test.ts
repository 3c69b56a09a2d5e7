/**
 * Errors errorshape recognises by their shape alone, each made by the real package: multer's
 * and busboy's (an Express app, asked with supertest), formidable's and koa-body's,
 * celebrate's and Joi's, class-validator's, and Hono's for a malformed JSON body. Each is
 * answered with the client's status and never logged as a 5xx; hostile look-alikes never
 * make the formatter throw.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http'
import 'reflect-metadata'
import { celebrate, Joi, Modes, Segments } from 'celebrate'
import { plainToInstance, Type } from 'class-transformer'
import { IsEmail, IsInt, IsString, Min, ValidateNested, validate } from 'class-validator'
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'
import { formidable, type Options as FormidableOptions } from 'formidable'
import { Hono } from 'hono'
import { validator } from 'hono/validator'
import Koa from 'koa'
import { koaBody } from 'koa-body'
import multer from 'multer'
import request from 'supertest'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { errorHandler as expressErrorHandler } from '../adapters/express.js'
import { errorHandler as honoErrorHandler } from '../adapters/hono.js'
import { errorHandler as koaErrorHandler } from '../adapters/koa.js'
import { createFormatter, getErrorStatus } from '../src/index.js'

const format = createFormatter({ onWarning: false })
const post = { method: 'POST', url: '/upload', headers: {} }

interface Shaped {
  status: number
  document: Record<string, unknown>
}

function shape(thrown: unknown): Shaped {
  const shaped = format(thrown, post)
  return { status: shaped.status, document: JSON.parse(shaped.body ?? '{}') as Shaped['document'] }
}

// -- multer and busboy ------------------------------------------------------------------------

const memory = (limits?: multer.Options['limits']) =>
  multer({ storage: multer.memoryStorage(), ...(limits === undefined ? {} : { limits }) })

/** One route per refusal multer (2.x) makes, each with the upload middleware that makes it. */
const MULTER_ROUTES: Readonly<Record<string, RequestHandler>> = {
  fileSize: memory({ fileSize: 3 }).single('avatar'),
  files: memory({ files: 1 }).array('photos'),
  fieldNameSize: memory({ fieldNameSize: 3 }).none(),
  fieldSize: memory({ fieldSize: 3 }).none(),
  fields: memory({ fields: 1 }).none(),
  parts: memory({ parts: 1 }).none(),
  single: memory().single('avatar'),
  nesting: memory({ fieldNestingDepth: 1 }).none(),
  index: memory({ fieldArrayIndexLimit: 5 }).none(),
  none: memory().none(),
}

function multerApp(last: ErrorRequestHandler): express.Express {
  const app = express()
  for (const [name, upload] of Object.entries(MULTER_ROUTES)) {
    app.post(`/${name}`, upload, (_req, res) => {
      res.json({ ok: true })
    })
  }
  app.use(last)
  return app
}

const RAW = 'multipart/form-data; boundary=XX'

/** Each request, the route it goes to, and what errorshape answers. */
const UPLOADS: readonly {
  readonly name: string
  readonly send: (app: express.Express) => request.Test
  readonly status: number
  readonly detail: string
}[] = [
  {
    name: 'LIMIT_FILE_SIZE',
    send: (app) => request(app).post('/fileSize').attach('avatar', Buffer.from('hello'), 'a.png'),
    status: 413,
    detail: 'File too large: "avatar"',
  },
  {
    name: 'LIMIT_FILE_COUNT',
    send: (app) =>
      request(app)
        .post('/files')
        .attach('photos', Buffer.from('a'), 'a.png')
        .attach('photos', Buffer.from('b'), 'b.png'),
    status: 413,
    detail: 'Too many files',
  },
  {
    name: 'LIMIT_FIELD_KEY',
    send: (app) => request(app).post('/fieldNameSize').field('longname', 'x'),
    status: 413,
    detail: 'Field name too long',
  },
  {
    name: 'LIMIT_FIELD_VALUE',
    send: (app) => request(app).post('/fieldSize').field('title', 'too long'),
    status: 413,
    detail: 'Field value too long: "title"',
  },
  {
    name: 'LIMIT_FIELD_COUNT',
    send: (app) => request(app).post('/fields').field('a', '1').field('b', '2'),
    status: 413,
    detail: 'Too many fields',
  },
  {
    name: 'LIMIT_PART_COUNT',
    send: (app) => request(app).post('/parts').field('a', '1').field('b', '2'),
    status: 413,
    detail: 'Too many parts',
  },
  {
    name: 'LIMIT_UNEXPECTED_FILE',
    send: (app) => request(app).post('/single').attach('photo', Buffer.from('a'), 'a.png'),
    status: 400,
    detail: 'Unexpected file field: "photo"',
  },
  {
    name: 'LIMIT_FIELD_NESTING',
    send: (app) => request(app).post('/nesting').field('a[b][c]', '1'),
    status: 400,
    detail: 'Field name nesting too deep: "a[b][c]"',
  },
  {
    name: 'LIMIT_FIELD_ARRAY_INDEX',
    send: (app) => request(app).post('/index').field('a[99]', '1'),
    status: 400,
    detail: 'Field name array index too large: "a[99]"',
  },
  {
    name: 'MISSING_FIELD_NAME',
    send: (app) =>
      request(app)
        .post('/none')
        .set('content-type', RAW)
        .send('--XX\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--XX--\r\n'),
    status: 400,
    detail: 'Field name missing',
  },
  {
    name: "busboy's missing boundary",
    send: (app) => request(app).post('/none').set('content-type', 'multipart/form-data').send('x'),
    status: 400,
    detail: 'Multipart: Boundary not found',
  },
  {
    name: "busboy's truncated form",
    send: (app) =>
      request(app)
        .post('/single')
        .set('content-type', RAW)
        .send('--XX\r\nContent-Disposition: form-data; name="avatar"; filename="a.png"\r\n\r\nab'),
    status: 400,
    detail: 'Unexpected end of form',
  },
  {
    name: "busboy's malformed part header",
    send: (app) =>
      request(app)
        .post('/none')
        .set('content-type', RAW)
        .send(
          '--XX\r\nContent-Disposition: form-data; name="a"\r\nno colon\r\n\r\nv\r\n--XX--\r\n',
        ),
    status: 400,
    detail: 'Malformed part header',
  },
  {
    name: "busboy's multipart type other than form-data",
    send: (app) => request(app).post('/none').set('content-type', 'multipart/mixed; boundary=XX'),
    status: 415,
    detail: 'Unsupported content type: multipart/mixed; boundary=XX',
  },
]

describe('multer and busboy errors (Express 5, multer 2)', () => {
  const thrown = new Map<string, unknown>()

  beforeAll(async () => {
    let last: unknown
    const app = multerApp((error, _req, res, _next) => {
      last = error
      res.status(500).end()
    })
    for (const upload of UPLOADS) {
      last = undefined
      await upload.send(app)
      thrown.set(upload.name, last)
    }
  })

  it.each(UPLOADS)('answers $name with $status and what failed', ({ name, status, detail }) => {
    const error = thrown.get(name)
    expect(error).toBeInstanceOf(Error) // multer (or busboy through it) did refuse the form
    const shaped = shape(error)
    expect(shaped.status).toBe(status)
    expect(shaped.document).toMatchObject({ status, detail })
    expect(getErrorStatus(error)).toBe(status)
  })

  it('names 413 Content Too Large by its RFC 9110 title, and 415 with the one type it takes', () => {
    expect(shape(thrown.get('LIMIT_FILE_SIZE')).document.title).toBe('Content Too Large')
    const unsupported = format(thrown.get("busboy's multipart type other than form-data"), post)
    expect(unsupported.headers.accept).toBe('multipart/form-data')
  })

  it('logs none of them as a server error (errorshape/express, default onError)', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      const app = multerApp(expressErrorHandler({ onWarning: false }))
      for (const upload of UPLOADS) {
        const response = await upload.send(app)
        expect(response.status).toBe(upload.status)
      }
      expect(logged).not.toHaveBeenCalled()
    } finally {
      logged.mockRestore()
    }
  })

  it("leaves a MulterError whose fault is not the form's as a 500", () => {
    const destroyed = new multer.MulterError('STREAM_DESTROYED' as multer.ErrorCode)
    expect(shape(destroyed).status).toBe(500)
    const invalid = new multer.MulterError('INVALID_FIELD_NAME' as multer.ErrorCode, 'a[b]')
    expect(shape(invalid).document).toMatchObject({
      status: 400,
      detail: 'Invalid field name: "a[b]"',
    })
  })

  it('keeps the status an app gave such an error, and leaves look-alikes with other names', () => {
    const own = Object.assign(new multer.MulterError('LIMIT_FILE_SIZE'), { status: 507 })
    expect(shape(own).status).toBe(507)
    const named = new TypeError('Unexpected end of form')
    expect(shape(named).status).toBe(500)
    const coded = Object.assign(new Error('Unexpected end of form'), { code: 'ECONNRESET' })
    expect(shape(coded).status).toBe(500)
  })
})

// -- formidable and koa-body ------------------------------------------------------------------

describe('formidable and koa-body errors (httpCode)', () => {
  let server: Server
  let last: unknown

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      const options = JSON.parse(String(req.headers['x-options'] ?? '{}')) as FormidableOptions
      formidable(options)
        .parse(req)
        .then(
          () => res.end('ok'),
          (error: unknown) => {
            last = error
            res.statusCode = 500
            res.end()
          },
        )
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  })

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
  })

  /** Posts with formidable's options; resolves to what formidable rejected with. */
  async function failureOf(
    options: FormidableOptions,
    build: (test: request.Test) => request.Test,
  ): Promise<unknown> {
    last = undefined
    await build(request(server).post('/upload').set('x-options', JSON.stringify(options)))
    return last
  }

  it.each([
    [
      'a file over maxFileSize',
      { maxFileSize: 3 },
      (test: request.Test) => test.attach('file', Buffer.from('hello'), 'a.bin'),
      413,
      'options.maxTotalFileSize (3 bytes) exceeded, received 5 bytes of file data',
    ],
    [
      'more files than maxFiles',
      { maxFiles: 1 },
      (test: request.Test) =>
        test.attach('a', Buffer.from('a'), 'a.bin').attach('b', Buffer.from('b'), 'b.bin'),
      413,
      'options.maxFiles (1) exceeded',
    ],
    [
      'more fields than maxFields',
      { maxFields: 1 },
      (test: request.Test) => test.field('a', '1').field('b', '2'),
      413,
      'options.maxFields (1) exceeded',
    ],
    [
      'an empty file',
      {},
      (test: request.Test) => test.attach('file', Buffer.alloc(0), 'a.bin'),
      400,
      'options.allowEmptyFiles is false, file size should be greater than 0',
    ],
    [
      'multipart without a boundary',
      {},
      (test: request.Test) => test.set('content-type', 'multipart/form-data').send('x'),
      400,
      'bad content-type header, no multipart boundary',
    ],
    [
      'a media type it has no parser for',
      {},
      (test: request.Test) => test.set('content-type', 'application/x-unknown').send('x'),
      415,
      'no parser found',
    ],
  ] as const)('answers %s with its httpCode (%s)', async (_, options, build, status, detail) => {
    const error = await failureOf(options, build)
    expect(error).toMatchObject({ httpCode: status }) // formidable's own FormidableError
    expect(shape(error)).toMatchObject({ status, document: { status, detail } })
  })

  it("answers koa-body's formidable error with its httpCode through errorshape/koa", async () => {
    const app = new Koa()
    const emitted: unknown[] = []
    app.on('error', (error: unknown) => emitted.push(error))
    app.use(koaErrorHandler({ onWarning: false })) // Koa's own reporting: 5xx on 'error'
    app.use(koaBody({ multipart: true, formidable: { maxFileSize: 3 } }))
    app.use((ctx) => {
      ctx.body = 'ok'
    })
    const response = await request(app.callback())
      .post('/upload')
      .attach('file', Buffer.from('hello'), 'a.bin')
    expect(response.status).toBe(413)
    expect(response.body).toMatchObject({ title: 'Content Too Large', status: 413 })
    expect(emitted).toEqual([])
  })

  it('leaves an httpCode outside 400–599 unused', () => {
    expect(shape(Object.assign(new Error('x'), { httpCode: 200 })).status).toBe(500)
    expect(shape(Object.assign(new Error('x'), { httpCode: '413' })).status).toBe(500)
  })
})

// -- celebrate and Joi ------------------------------------------------------------------------

describe('celebrate and Joi errors', () => {
  let celebrated: unknown

  beforeAll(async () => {
    const app = express()
    app.use(express.json())
    app.post(
      '/users/:id',
      celebrate(
        {
          [Segments.PARAMS]: Joi.object({ id: Joi.number() }),
          [Segments.QUERY]: Joi.object({ page: Joi.number().min(1) }),
          [Segments.BODY]: Joi.object({
            name: Joi.string().required(),
            tags: Joi.array().items(Joi.string()),
            'a/b': Joi.number(),
          }),
        },
        { abortEarly: false },
        { mode: Modes.FULL },
      ),
      (_req, res) => {
        res.end()
      },
    )
    app.use(((error, _req, res, _next) => {
      celebrated = error
      res.status(500).end()
    }) as ErrorRequestHandler)
    await request(app)
      .post('/users/x?page=0')
      .send({ tags: ['a', 3], 'a/b': 'q' })
  })

  it("answers celebrate's CelebrateError with 422, each pointer starting with its request part", () => {
    expect(celebrated).toMatchObject({ message: 'Validation failed' })
    const { status, document } = shape(celebrated)
    expect(status).toBe(422)
    expect(document).toMatchObject({ title: 'Unprocessable Content', status: 422 })
    expect(document).not.toHaveProperty('detail')
    expect(document.errors).toEqual([
      { detail: '"id" must be a number', pointer: '#/params/id' },
      { detail: '"page" must be greater than or equal to 1', pointer: '#/query/page' },
      { detail: '"name" is required', pointer: '#/body/name' },
      { detail: '"tags[1]" must be a string', pointer: '#/body/tags/1' },
      { detail: '"a/b" must be a number', pointer: '#/body/a~1b' },
    ])
  })

  it('answers a thrown Joi ValidationError (Joi.attempt, validate().error) with 422', () => {
    const schema = Joi.object({ user: Joi.object({ email: Joi.string().email() }) })
    let attempted: unknown
    try {
      Joi.attempt({ user: { email: 'x' } }, schema)
    } catch (error) {
      attempted = error
    }
    const validated = Joi.number().validate('x').error
    expect(shape(attempted)).toMatchObject({
      status: 422,
      document: {
        errors: [{ detail: '"user.email" must be a valid email', pointer: '#/user/email' }],
      },
    })
    expect(shape(validated).document.errors).toEqual([
      { detail: '"value" must be a number', pointer: '#' },
    ])
  })
})

// -- class-validator --------------------------------------------------------------------------

/** Applies property decorators by calling them: the tsconfig has no experimentalDecorators. */
function decorate(target: new () => object, key: string, ...decorators: PropertyDecorator[]) {
  for (const decorator of decorators) decorator(target.prototype as object, key)
}

class Address {
  city?: unknown
}
class Tag {
  name?: unknown
}
class User {
  email?: unknown
  age?: unknown
  address?: unknown
  tags?: unknown
}
decorate(Address, 'city', IsString())
decorate(Tag, 'name', IsString())
decorate(User, 'email', IsEmail())
decorate(User, 'age', IsInt(), Min(0))
decorate(
  User,
  'address',
  ValidateNested(),
  Type(() => Address),
)
decorate(
  User,
  'tags',
  ValidateNested({ each: true }),
  Type(() => Tag),
)

describe('class-validator errors', () => {
  it('answers the list validate() gives with 422, nested children as deeper pointers', async () => {
    const user = plainToInstance(User, {
      email: 'x',
      age: -1.5,
      address: { city: 3 },
      tags: [{ name: 'a' }, { name: 4 }],
    })
    const errors = await validate(user)
    expect(errors).toHaveLength(4)
    const { status, document } = shape(errors)
    expect(status).toBe(422)
    expect(document.errors).toEqual([
      { detail: 'email must be an email', pointer: '#/email' },
      { detail: 'age must be an integer number', pointer: '#/age' },
      { detail: 'age must not be less than 0', pointer: '#/age' },
      { detail: 'city must be a string', pointer: '#/address/city' },
      { detail: 'name must be a string', pointer: '#/tags/1/name' },
    ])
  })

  it('answers whitelist and unknown-value errors, the latter at the root', async () => {
    const extra = await validate(plainToInstance(User, { email: 'a@b.co', age: 1, extra: true }), {
      whitelist: true,
      forbidNonWhitelisted: true,
    })
    expect(shape(extra).document.errors).toEqual([
      { detail: 'property extra should not exist', pointer: '#/extra' },
    ])
    const unknown = await validate({ a: 1 })
    expect(shape(unknown).document.errors).toEqual([
      { detail: 'an unknown value was passed to the validate function', pointer: '#' },
    ])
  })

  it('leaves alone an empty list and a list of other things', () => {
    expect(shape([]).status).toBe(500)
    expect(shape([{ property: 'a' }]).status).toBe(500)
    expect(shape([{ property: 'a', constraints: { x: 'bad' } }, 'text']).status).toBe(500)
  })
})

// -- Hono ---------------------------------------------------------------------------------------

describe("Hono's errors for a request body that is not JSON", () => {
  const logged: unknown[] = []
  const app = new Hono()
  app.onError(
    honoErrorHandler({
      onWarning: false,
      onError: (error, { status }) => {
        if (status >= 500) logged.push(error)
      },
    }),
  )
  app.post('/json', async (c) => c.json((await c.req.json()) as unknown))
  app.post('/parse-elsewhere', async (c) => {
    await c.req.json()
    return c.json(JSON.parse('{broken') as unknown)
  })
  app.post('/text', async (c) => c.json(JSON.parse(await c.req.text()) as unknown))
  app.post(
    '/validated',
    validator('json', (value): unknown => value),
    (c) => c.json(c.req.valid('json')),
  )

  const send = (path: string, body: string, type = 'application/json') =>
    app.request(path, { method: 'POST', headers: { 'content-type': type }, body })

  it('answers the SyntaxError of c.req.json() on malformed JSON with 400', async () => {
    logged.length = 0
    for (const type of ['application/json', 'application/merge-patch+json; charset=utf-8']) {
      const response = await send('/json', '{"name":', type)
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({
        title: 'Bad Request',
        status: 400,
        detail: 'Malformed JSON in request body',
      })
    }
    expect(logged).toEqual([])
  })

  it('leaves a SyntaxError from elsewhere a logged 500, and a body that is not JSON by type', async () => {
    logged.length = 0
    const elsewhere = await send('/parse-elsewhere', '{"name":"Ada"}')
    expect(elsewhere.status).toBe(500)
    const plain = await send('/text', '{"name":', 'text/plain')
    expect(plain.status).toBe(500)
    expect(logged).toHaveLength(2)
    expect(logged.every((error) => error instanceof SyntaxError)).toBe(true)
  })

  it("answers the HTTPException of Hono's validator with its 400 and message", async () => {
    const response = await send('/validated', '{"name":')
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({
      status: 400,
      detail: 'Malformed JSON in request body',
    })
    expect((await send('/validated', '{"name":"Ada"}')).status).toBe(200)
  })
})

// -- hostile look-alikes ------------------------------------------------------------------------

describe('look-alikes that throw when read', () => {
  const trap = <T extends object>(target: T, throwing: readonly PropertyKey[]): T =>
    new Proxy(target, {
      get(object, key, receiver) {
        if (throwing.includes(key)) throw new Error(`trap: ${String(key)}`)
        return Reflect.get(object, key, receiver) as unknown
      },
    })

  it('never throws, and reads what it can', () => {
    const revoked = Proxy.revocable([], {})
    revoked.revoke()
    const map = new Map([['body', { isJoi: true, details: [{ message: 'bad', path: ['a'] }] }]])
    const cases: unknown[] = [
      revoked.proxy,
      trap(new multer.MulterError('LIMIT_FILE_SIZE', 'f'), ['code']),
      trap(new multer.MulterError('LIMIT_FILE_SIZE', 'f'), ['field', 'message']),
      trap(Object.assign(new Error('x'), { httpCode: 413 }), ['httpCode']),
      { details: new Proxy(map, {}) },
      { details: trap(map, [Symbol.toStringTag]) },
      [trap({ property: 'a', constraints: { x: 'bad' } }, ['children'])],
      [{ property: 'a', constraints: trap({ x: 'bad' }, ['x']) }],
      [{ property: 'a', children: trap([{ property: 'b', constraints: {} }], ['length']) }],
      { isJoi: true, details: trap([{ message: 'bad', path: ['a'] }], [0]) },
    ]
    for (const thrown of cases) {
      const shaped = format(thrown, post)
      expect([400, 413, 422, 500]).toContain(shaped.status)
    }
    expect(shape(cases[1]).status).toBe(500) // no code: not multer's
    expect(shape(cases[2]).document).toMatchObject({ status: 413, detail: 'LIMIT_FILE_SIZE' })
    expect(shape(cases[6]).document.errors).toEqual([{ detail: 'bad', pointer: '#/a' }])
  })

  it('reads a bounded part of a huge or deep class-validator tree', () => {
    let deep: Record<string, unknown> = { property: 'leaf', constraints: { x: 'deepest' } }
    for (let level = 0; level < 10_000; level++) deep = { property: 'n', children: [deep] }
    expect(shape([deep]).status).toBe(500) // nothing within reach: not recognised
    const wide = Array.from({ length: 100_000 }, (_, index) => ({
      property: `p${index}`,
      constraints: { a: 'first', b: 'second' },
    }))
    const { status, document } = shape(wide)
    expect(status).toBe(422)
    expect((document.errors as unknown[]).length).toBe(100)
  })
})
