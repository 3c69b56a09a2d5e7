/**
 * Constructors never throw: every error class and createError, given hostile option values in
 * every option slot, build the error without that option and with every other option.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as errorshape from '../src/index.js'
import { createError, HttpError, type AnyErrorOptions } from '../src/index.js'

// 200 runs keeps the suite fast; PROPERTY_RUNS=5000 searches deeper locally.
const RUNS = { numRuns: Number(process.env.PROPERTY_RUNS ?? 200) }

type Slot = keyof AnyErrorOptions
type Options = Record<string, unknown>

const SLOTS: readonly Slot[] = [
  'message',
  'cause',
  'expose',
  'headers',
  'type',
  'title',
  'detail',
  'instance',
  'code',
  'errors',
  'extensions',
  'allow',
  'challenge',
  'retryAfter',
  'size',
  'upgrade',
  'blockedBy',
  'accept',
  'location',
]

/** One good value for every option: each must still apply next to a hostile one. */
const GOOD: Readonly<Record<Slot, unknown>> = {
  message: 'Kept message',
  cause: new Error('kept cause'),
  expose: true,
  headers: { 'X-Kept': 'yes', allow: 'PUT', connection: 'close' },
  type: 'https://errors.example/kept',
  title: 'Kept title',
  detail: 'Kept detail',
  instance: '/kept/1',
  code: 'KEPT',
  errors: [{ detail: 'kept item', pointer: '#/a' }],
  extensions: { kept: 1 },
  allow: ['get', 'post'],
  challenge: { scheme: 'Bearer', realm: 'api', params: { error: 'invalid_token' } },
  retryAfter: new Date('2030-01-01T06:00:00Z'),
  size: 1234,
  upgrade: ['TLS/1.3', 'HTTP/2'],
  blockedBy: 'https://authority.example/',
  accept: ['application/json'],
  location: '/v2/kept',
}

const goodWithout = (slot: Slot): Options => {
  const { [slot]: _left, ...rest } = GOOD
  return rest
}

const boom = (): never => {
  throw new Error('hostile')
}

const throwingTraps: ProxyHandler<object> = {
  get: boom,
  set: boom,
  has: boom,
  ownKeys: boom,
  getOwnPropertyDescriptor: boom,
  getPrototypeOf: boom,
  defineProperty: boom,
  deleteProperty: boom,
  isExtensible: boom,
  preventExtensions: boom,
}

function revoked<T extends object>(target: T): T {
  const { proxy, revoke } = Proxy.revocable(target, {})
  revoke()
  return proxy
}

/** Defines `name` without it being enumerable: the challenge's own parts, not header fields. */
const hidden = (object: object, name: string, value: unknown): object =>
  Object.defineProperty(object, name, { value, enumerable: false })

class TimeThrows extends Date {
  override getTime(): number {
    return boom()
  }
}
class YearThrows extends Date {
  override getUTCFullYear(): number {
    return boom()
  }
}
class StringThrows extends Date {
  override toUTCString(): string {
    return boom()
  }
}

/**
 * Hostile option values, each made fresh. Each is unusable in every slot: it is left out,
 * except where an option keeps what it is given (`cause`; `errors` when it is an array;
 * `extensions` when it is an object).
 */
const HOSTILE: readonly [title: string, make: () => unknown][] = [
  ['a revoked Proxy', () => revoked({})],
  ['a revoked Proxy of an array', () => revoked([])],
  ['a Proxy whose every trap throws', () => new Proxy({}, throwingTraps)],
  ['a Proxy array whose every trap throws', () => new Proxy([], throwingTraps)],
  [
    'a Proxy array whose length throws',
    () =>
      new Proxy([], { get: (target, key) => (key === 'length' ? boom() : target[key as never]) }),
  ],
  [
    'a Proxy array whose elements throw',
    () =>
      new Proxy(['GET', 'TLS/1.3', 'application/json'], {
        get: (target, key) =>
          typeof key === 'string' && /^\d+$/.test(key) ? boom() : target[key as never],
      }),
  ],
  [
    'a Proxy array whose iterator throws',
    () =>
      new Proxy([], {
        get: (target, key) => (key === Symbol.iterator ? boom() : target[key as never]),
      }),
  ],
  ['a Date whose getTime throws', () => new TimeThrows('2030-01-01T00:00:00Z')],
  ['a Date whose getUTCFullYear throws', () => new YearThrows('2030-01-01T00:00:00Z')],
  ['a Date whose toUTCString throws', () => new StringThrows('2030-01-01T00:00:00Z')],
  ['a Proxy around a Date', () => new Proxy(new Date('2030-01-01T00:00:00Z'), {})],
  ['an object that only claims to be a Date', () => Object.create(Date.prototype) as object],
  [
    'a challenge whose scheme getter throws',
    () => Object.defineProperty({}, 'scheme', { get: boom, enumerable: true }),
  ],
  [
    'a challenge whose realm getter throws',
    () => Object.defineProperty(hidden({}, 'scheme', 'Bearer'), 'realm', { get: boom }),
  ],
  [
    'a challenge whose params getter throws',
    () => Object.defineProperty(hidden({}, 'scheme', 'Bearer'), 'params', { get: boom }),
  ],
  [
    'a challenge whose params are a Proxy whose every trap throws',
    () => hidden(hidden({}, 'scheme', 'Bearer'), 'params', new Proxy({}, throwingTraps)),
  ],
  [
    'a challenge whose token68 getter throws',
    () => Object.defineProperty(hidden({}, 'scheme', 'Bearer'), 'token68', { get: boom }),
  ],
  [
    'a string-like object whose conversions throw',
    () => ({ toString: boom, valueOf: boom, [Symbol.toPrimitive]: boom }),
  ],
  ['a Symbol', () => Symbol('hostile')],
  ['a BigInt', () => 10n],
  [
    'a function with a throwing getter',
    () => Object.defineProperty(() => 1, 'scheme', { get: boom }),
  ],
]

/** Whether an option keeps this value as given instead of leaving it out. */
function keeps(slot: Slot, value: unknown): boolean {
  if (slot === 'cause') return true
  if (slot === 'extensions') return value !== null && typeof value === 'object'
  if (slot === 'errors') {
    try {
      return Array.isArray(value)
    } catch {
      return false
    }
  }
  return false
}

interface Maker {
  readonly name: string
  readonly status: number
  readonly make: (options?: object) => HttpError
}

type ErrorClass = (new (options?: object) => HttpError) & { readonly status: number }

const CLASSES = (Object.entries(errorshape) as [string, unknown][]).filter(
  (entry): entry is [string, ErrorClass] =>
    typeof entry[1] === 'function' && entry[1].prototype instanceof HttpError,
)

const MAKERS: readonly Maker[] = [
  ...CLASSES.map(([name, ErrorClass]) => ({
    name: `new ${name}(options)`,
    status: ErrorClass.status,
    make: (options?: object) => new ErrorClass(options),
  })),
  // A status of each kind: a class, the two with a challenge, a redirect, one without a class.
  ...[401, 404, 407, 308, 460].map((status) => ({
    name: `createError(${status}, options)`,
    status,
    make: (options?: object) => createError(status, options as AnyErrorOptions),
  })),
  {
    name: 'new HttpError(499, options)',
    status: 499,
    make: (options) => new HttpError(499, options),
  },
]

/** What an error is made of, except the option that keeps a hostile value as given. */
function shape(error: HttpError, except?: Slot) {
  return {
    constructor: error.constructor,
    status: error.status,
    statusCode: error.statusCode,
    message: error.message,
    expose: error.expose,
    headers: Object.entries(error.headers),
    type: error.type,
    title: error.title,
    detail: error.detail,
    instance: error.instance,
    code: error.code,
    errors: except === 'errors' ? 'kept' : error.errors,
    extensions: except === 'extensions' ? 'kept' : error.extensions,
    cause: except === 'cause' ? 'kept' : [Object.hasOwn(error, 'cause'), error.cause],
  }
}

const baselines = new Map<string, ReturnType<typeof shape>>()
/** The error made from every good option but the one under test. */
function baseline(maker: Maker, slot: Slot, except?: Slot) {
  const key = `${maker.name} ${slot} ${except ?? ''}`
  let expected = baselines.get(key)
  if (expected === undefined) {
    expected = shape(maker.make(goodWithout(slot)), except)
    baselines.set(key, expected)
  }
  return expected
}

/** Builds the error, naming the maker if it throws. */
function build(maker: Maker, options?: object): HttpError {
  try {
    return maker.make(options)
  } catch (error) {
    throw new Error(`${maker.name} threw`, { cause: error })
  }
}

/** Builds the error and checks it: no throw, the status, the bad option out, the rest in. */
function expectBuiltWithout(maker: Maker, slot: Slot, options: object, kept?: unknown): void {
  const error = build(maker, options)
  const except = kept === undefined ? undefined : slot
  const stored = slot === 'cause' ? error.cause : error[slot as 'errors' | 'extensions']
  expect({
    maker: maker.name,
    isHttpError: error instanceof HttpError,
    status: error.status,
    shape: shape(error, except),
    keptAsGiven: kept === undefined || stored === kept,
  }).toEqual({
    maker: maker.name,
    isHttpError: true,
    status: maker.status,
    shape: baseline(maker, slot, except),
    keptAsGiven: true,
  })
}

it('covers every error class and alias', () => {
  expect(CLASSES.length).toBeGreaterThanOrEqual(45)
  expect(CLASSES.map(([name]) => name)).toEqual(
    expect.arrayContaining(['MethodNotAllowed', 'Unauthorized', 'PayloadTooLarge']),
  )
})

it('builds the good options alone into every field', () => {
  const error = createError(401 as number, GOOD as AnyErrorOptions)
  expect(error).toMatchObject({ message: 'Kept message', code: 'KEPT', expose: true })
  expect(error.headers).toEqual({
    'x-kept': 'yes',
    allow: 'GET, HEAD, POST',
    'www-authenticate': ['Bearer realm="api", error="invalid_token"'],
    'retry-after': 'Tue, 01 Jan 2030 06:00:00 GMT',
    'content-range': 'bytes */1234',
    upgrade: 'TLS/1.3, HTTP/2',
    connection: 'upgrade',
    link: '<https://authority.example/>; rel="blocked-by"',
    accept: 'application/json',
    location: '/v2/kept',
  })
})

describe.each(SLOTS)('a hostile %s', (slot) => {
  it.each(HOSTILE)('%s is left out, every other option applies', (_title, make) => {
    for (const maker of MAKERS) {
      const value = make()
      const options = { ...goodWithout(slot), [slot]: value }
      expectBuiltWithout(maker, slot, options, keeps(slot, value) ? value : undefined)
    }
  })

  it('getter that throws is left out, every other option applies', () => {
    for (const maker of MAKERS) {
      const options = Object.defineProperty(goodWithout(slot), slot, {
        get: boom,
        enumerable: true,
      })
      expectBuiltWithout(maker, slot, options)
    }
  })

  it('read through a Proxy whose get and has traps throw for it is left out', () => {
    for (const maker of MAKERS) {
      const options = new Proxy(goodWithout(slot), {
        get: (target, key) => (key === slot ? boom() : target[key as never]),
        has: (target, key) => (key === slot ? boom() : key in target),
      })
      expectBuiltWithout(maker, slot, options)
    }
  })
})

describe('a hostile options object', () => {
  it.each([
    ['a revoked Proxy', () => revoked({})],
    ['a Proxy whose every trap throws', () => new Proxy({ ...GOOD }, throwingTraps)],
  ])('%s gives the error of the status with its defaults', (_title, make) => {
    for (const maker of MAKERS) {
      expect(shape(build(maker, make())), maker.name).toEqual(shape(maker.make()))
    }
  })

  it('keeps the message argument next to a revoked Proxy', () => {
    const error = new errorshape.NotFound('No user 42', revoked({}))
    expect(error.message).toBe('No user 42')
    expect(error.headers).toEqual({})
  })

  it('reads each option at most once on each path', () => {
    const reads = new Map<string, number>()
    const options = new Proxy(
      { ...GOOD },
      {
        get(target, key) {
          if (key === 'code') throw new Error('hostile')
          if (typeof key === 'string') reads.set(key, (reads.get(key) ?? 0) + 1)
          return target[key as never]
        },
      },
    )
    createError(405 as number, options as AnyErrorOptions)
    // Once on the direct path, which stops at the throw, then once on the guarded one.
    for (const [key, count] of reads) expect(count, key).toBeLessThanOrEqual(2)
  })

  it('lets the typed option win over `headers` on the guarded path too', () => {
    const error = createError(405, {
      headers: { allow: 'PUT', 'X-Kept': 'yes' },
      allow: ['GET'],
      get code(): string {
        return boom()
      },
    })
    expect(error.headers).toEqual({ 'x-kept': 'yes', allow: 'GET, HEAD' })
    expect(error.code).toBeUndefined()
  })
})

/**
 * A hostile value from the table (made inside the property: fast-check must not touch it),
 * or anything at all.
 */
type Recipe = { anything: unknown } | { hostile: number; inArray: boolean }
const recipe: fc.Arbitrary<Recipe> = fc.oneof(
  fc
    .anything({
      withBigInt: true,
      withBoxedValues: true,
      withDate: true,
      withMap: true,
      withNullPrototype: true,
      withSet: true,
      withSparseArray: true,
      withTypedArray: true,
    })
    .map((anything) => ({ anything })),
  fc.record({ hostile: fc.nat({ max: HOSTILE.length - 1 }), inArray: fc.boolean() }),
)

const OTHER_SLOTS = SLOTS.filter((slot) => slot !== 'code')

interface OptionRecipes {
  readonly values: Partial<Record<Slot, Recipe>>
  readonly throwing: readonly Slot[]
}

/** Recipes for some options, the slots whose getters throw, and always a good `code`. */
const optionRecipes: fc.Arbitrary<OptionRecipes> = fc.record({
  values: fc.dictionary(fc.constantFrom(...OTHER_SLOTS), recipe, { maxKeys: 8 }),
  throwing: fc.subarray([...OTHER_SLOTS], { maxLength: 4 }),
})

function optionsOf({ values, throwing }: OptionRecipes): Options {
  const options: Options = { code: 'KEPT' }
  for (const [slot, made] of Object.entries(values) as [Slot, Recipe][]) {
    if ('anything' in made) {
      options[slot] = made.anything
    } else {
      const value = HOSTILE[made.hostile]![1]()
      options[slot] = made.inArray ? [value] : value
    }
  }
  for (const slot of throwing) {
    Object.defineProperty(options, slot, { get: boom, enumerable: true, configurable: true })
  }
  return options
}

describe('any option values', () => {
  it('never make a constructor throw, and a good option still applies', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MAKERS), optionRecipes, (maker, recipes) => {
        const error = maker.make(optionsOf(recipes))
        expect(error).toBeInstanceOf(HttpError)
        expect(error.status).toBe(maker.status)
        expect(error.code).toBe('KEPT')
      }),
      RUNS,
    )
  })

  it('keep a message given as the first argument', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CLASSES), optionRecipes, ([, ErrorClass], recipes) => {
        const error = new (
          ErrorClass as unknown as new (message: string, options: object) => HttpError
        )('First argument', optionsOf(recipes))
        expect(error.message).toBe('First argument')
        expect(error.code).toBe('KEPT')
      }),
      RUNS,
    )
  })

  it('never make createError throw, whatever the status', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -1, max: 700 }), fc.anything()),
        optionRecipes,
        (status, recipes) => {
          const error = createError(status as number, optionsOf(recipes) as AnyErrorOptions)
          expect(error).toBeInstanceOf(HttpError)
          const usable =
            Number.isInteger(status) &&
            (((status as number) >= 300 && (status as number) <= 599) ||
              status === 204 ||
              status === 205)
          expect(error.status).toBe(usable ? status : 500)
          expect(error.code).toBe('KEPT')
        },
      ),
      RUNS,
    )
  })
})
