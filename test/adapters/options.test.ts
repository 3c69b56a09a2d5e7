/**
 * Options are validated when the middleware is made, not when the first error arrives: a bad
 * option is a TypeError naming it, whichever adapter (or Express's notFound) is given it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { notFound } from '../../adapters/express.js'
import { NotFound } from '../../src/index.js'
import { ADAPTERS, describeMatrix, get } from './matrix.js'

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
    'a template file that does not exist',
    { templates: { error: '/nonexistent/error.html' } },
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

describe('options, checked when the middleware is made', () => {
  for (const adapter of ADAPTERS) {
    describe(adapter.name, () => {
      it.each(BAD_OPTIONS)('rejects %s with a TypeError naming it', (_name, options, names) => {
        expect(() => adapter.errorHandler(options)).toThrow(TypeError)
        expect(() => adapter.errorHandler(options)).toThrow(names)
      })

      it.each(GOOD_OPTIONS)('accepts %s', (_name, options) => {
        expect(typeof adapter.errorHandler(options)).toBe('function')
      })
    })
  }

  describe("Express's notFound()", () => {
    it('takes no options: errorHandler() answers its 404s with its own', () => {
      expect(typeof notFound()).toBe('function')
      expect(() => (notFound as (options: unknown) => unknown)({ typeBase: 'x' })).toThrow(
        /notFound\(\) takes no options/,
      )
    })
  })
})

describeMatrix('options, resolved once', (adapter) => {
  it('reads a template file when the middleware is made, not per request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'errorshape-adapter-'))
    try {
      const file = join(dir, 'error.html')
      writeFileSync(file, '<!DOCTYPE html><title>{{title}}</title><p>custom {{status}}</p>')
      const { handler } = adapter.app({
        options: { templates: { error: file } },
        routes: [get('/missing', { kind: 'throw', error: new NotFound() })],
      })
      // The file is gone before the first request: the template was compiled already.
      rmSync(file)
      const res = await request(handler).get('/missing').set('Accept', 'text/html').expect(404)
      expect(res.text).toContain('<p>custom 404</p>')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('applies formatter options to every response', async () => {
    const { handler } = adapter.app({
      options: { typeBase: 'https://errors.example.com/', cacheControl: false, formats: ['json'] },
      routes: [get('/missing', { kind: 'throw', error: new NotFound() })],
    })
    const res = await request(handler).get('/missing').set('Accept', 'text/html').expect(404)
    expect(res.headers['content-type']).toBe('application/json')
    expect(res.headers).not.toHaveProperty('cache-control')
    expect(JSON.parse(res.text).type).toBe('https://errors.example.com/not-found')
  })
})
