/**
 * Options are validated when the middleware is made, not when the first error arrives: a bad
 * option is a TypeError naming it, whichever adapter entry point (or Express's notFound) is
 * given it. That the options then apply to every response, resolved once, is a matrix spec
 * (test/matrix/behaviour.test.ts, 'options').
 */
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import * as express from '../../adapters/express.js'
import * as fastify from '../../adapters/fastify.js'
import { createResponder as createFetchResponder } from '../../adapters/fetch.js'
import * as hono from '../../adapters/hono.js'
import * as koa from '../../adapters/koa.js'
import { createResponder as createNodeResponder } from '../../adapters/node.js'

/** Each bad value, and the option the TypeError must name. */
const BAD_OPTIONS: readonly [string, unknown, RegExp][] = [
  ['onError as a string', { onError: 'x' }, /\bonError\b/],
  ['onError as a number', { onError: 42 }, /\bonError\b/],
  ['onError as null', { onError: null }, /\bonError\b/],
  ['onError as true', { onError: true }, /\bonError\b/],
  [
    'keepHeaders, which was removed',
    { keepHeaders: ['x-request-id'] },
    /\bkeepHeaders was removed\b.*dropHeaders/,
  ],
  ['dropHeaders as a string', { dropHeaders: 'x-powered-by' }, /\bdropHeaders\b/],
  ['dropHeaders holding a number', { dropHeaders: [1] }, /\bdropHeaders\b/],
  ['dropHeaders holding a name with a space', { dropHeaders: ['x powered by'] }, /\bdropHeaders\b/],
  ['an empty formats list', { formats: [] }, /\bformats\b/],
  ['an unknown format', { formats: ['yaml'] }, /\bformats\b/],
  ['a defaultLocale with no catalog', { defaultLocale: 'xx' }, /\bdefaultLocale\b/],
  ['a typeBase that is no URI', { typeBase: 42 }, /\btypeBase\b/],
  ['debug as a string', { debug: 'yes' }, /\bdebug\b/],
  ['a cacheControl that is no header value', { cacheControl: 1 }, /\bcacheControl\b/],
  [
    'a template given as a file path',
    { templates: { error: '/srv/views/error.html' } },
    /\btemplates\b/,
  ],
  ['options that are null', null, /\boptions\b/],
  ['options that are a string', 'debug', /\boptions\b/],
]

const GOOD_OPTIONS: readonly [string, unknown][] = [
  ['no options', undefined],
  ['empty options', {}],
  ['onError: false and an empty dropHeaders', { onError: false, dropHeaders: [] }],
  ['an onError function', { onError: () => undefined, dropHeaders: ['X-Powered-By'] }],
]

/** Each entry point that takes options, made with them as given (a function when accepted). */
type Make = (options: unknown) => unknown

const ENTRY_POINTS: readonly [string, Make][] = [
  ['errorshape/express errorHandler()', (options) => express.errorHandler(options as never)],
  ['errorshape/koa errorHandler()', (options) => koa.errorHandler(options as never)],
  ['errorshape/hono errorHandler()', (options) => hono.errorHandler(options as never)],
  ['errorshape/hono notFound()', (options) => hono.notFound(options as never)],
  ['errorshape/hono catchAll()', (options) => hono.catchAll(options as never)],
  [
    'errorshape/node createResponder()',
    (options) => {
      const responder = createNodeResponder(options as never)
      return (...args: Parameters<typeof responder.respond>) => {
        responder.respond(...args)
      }
    },
  ],
  ['errorshape/fetch createResponder()', (options) => createFetchResponder(options as never)],
]

/** Fastify's plugin is given its options when registered: the app does not get ready. */
async function registerFastify(options: unknown): Promise<void> {
  const app = Fastify()
  try {
    await app.register(fastify.errorHandler, options as never)
  } finally {
    await app.close()
  }
}

describe('options, checked when the middleware is made', () => {
  describe.each(ENTRY_POINTS)('%s', (_name, make) => {
    it.each(BAD_OPTIONS)('rejects %s with a TypeError naming it', (_option, options, names) => {
      expect(() => make(options)).toThrow(TypeError)
      expect(() => make(options)).toThrow(names)
    })

    it.each(GOOD_OPTIONS)('accepts %s', (_option, options) => {
      expect(typeof make(options)).toBe('function')
    })
  })

  describe('errorshape/fastify errorHandler, registered', () => {
    // Fastify hands a plugin `{}` for absent or null options: only an object is checked.
    it.each(BAD_OPTIONS.filter(([, options]) => options !== null && typeof options === 'object'))(
      'rejects %s with a TypeError naming it',
      async (_option, options, names) => {
        await expect(registerFastify(options)).rejects.toThrow(TypeError)
        await expect(registerFastify(options)).rejects.toThrow(names)
      },
    )

    it.each(GOOD_OPTIONS)('accepts %s', async (_option, options) => {
      await expect(registerFastify(options)).resolves.toBeUndefined()
    })
  })

  describe("Express's notFound()", () => {
    it('takes no options: errorHandler() answers its 404s with its own', () => {
      expect(typeof express.notFound()).toBe('function')
      expect(() => (express.notFound as (options: unknown) => unknown)({ typeBase: 'x' })).toThrow(
        /notFound\(\) takes no options/,
      )
    })
  })
})
