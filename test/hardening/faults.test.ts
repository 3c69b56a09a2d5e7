/**
 * Faults through the bare formatter: hooks and renderers that throw. The client gets the
 * right status with a safe body and the fault is a warning; a catalog that throws is refused
 * at start-up. The same faults, and those only a server shows (errors after the headers were
 * sent, streams that fail, clients that go away), run through every adapter over real
 * sockets in test/matrix/hardening.test.ts and test/matrix/connections.test.ts.
 */
import { describe, expect, test, vi } from 'vitest'
import { createFormatter, NotFound, type FormatWarning } from 'errorshape'
import { errorHandler as expressErrorHandler } from 'errorshape/express'
import { createResponder as createFetchResponder } from 'errorshape/fetch'
import { errorHandler as honoErrorHandler } from 'errorshape/hono'
import { errorHandler as koaErrorHandler } from 'errorshape/koa'
import { createResponder as createNodeResponder } from 'errorshape/node'
import { boom, observeFormatter, renderFaults } from './cases.js'

describe.each(renderFaults)('$title', (row) => {
  test('gives the right status, a safe body, a warning', () => {
    const warnings: FormatWarning[] = []
    const response = observeFormatter({
      thrown: row.thrown,
      request: { headers: { accept: row.accept } },
      options: { ...row.options, onWarning: (warning) => warnings.push(warning) },
    })
    expect(response.status).toBe(row.status)
    expect(response.body).toBe(row.body)
    expect(warnings.map((warning) => warning.code)).toEqual([row.warning])
    expect(warnings[0]?.error).toBeDefined()
  })
})

describe('an onWarning hook that throws', () => {
  test('never breaks the response, and the fault is logged', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    const response = observeFormatter({
      thrown: () => new NotFound(),
      request: { headers: { accept: 'application/vnd.test' } },
      options: { renderers: { 'application/vnd.test': boom }, onWarning: boom },
    })
    expect(response.status).toBe(404)
    expect(response.body).toBe('404 Not Found\n')
    expect(logged).toHaveBeenCalledWith('errorshape: onWarning failed:', expect.any(Error))
    logged.mockRestore()
  })
})

describe('a locale catalog with a throwing getter', () => {
  const hostileLocales = () => ({
    fr: {
      get statuses(): never {
        return boom()
      },
    },
  })

  test('is a TypeError naming the option when the formatter is made', () => {
    expect(() => createFormatter({ locales: hostileLocales() })).toThrow(
      new TypeError("errorshape: option locales['fr'] could not be read: Error: fault"),
    )
  })

  test.each([
    ['express', expressErrorHandler],
    ['koa', koaErrorHandler],
    ['hono', honoErrorHandler],
    ['node', createNodeResponder],
    ['fetch', createFetchResponder],
  ] as const)('is a TypeError when the %s middleware is made, at start-up', (_name, make) => {
    expect(() => make({ locales: hostileLocales() })).toThrow(TypeError)
  })

  test('whose getters throw after the first read is read once: requests never see them', () => {
    let reads = 0
    const labels = {
      get errors(): string {
        reads += 1
        return reads === 1 ? 'Fehler' : boom()
      },
    }
    const format = createFormatter({ locales: { de: { labels } }, onWarning: false })
    for (let index = 0; index < 3; index++) {
      const { status, body } = format(new NotFound(), {
        headers: { accept: 'text/plain', 'accept-language': 'de' },
      })
      expect(status).toBe(404)
      expect(body).toBe('404 Not Found\n')
    }
    expect(reads).toBe(1)
  })
})
