/**
 * Hostile thrown values and hostile request headers through the bare formatter:
 * prototype-polluting names, throwing getters, Proxies, cycles, megabyte strings, binary and
 * 10 KB Accept values. The same cases run through every adapter over real sockets in
 * test/matrix/hardening.test.ts.
 */
import { describe, expect, test } from 'vitest'
import { NotFound } from 'errorshape'
import { hostileHeaders, hostileValues, observeFormatter } from './cases.js'

describe('hostile thrown values', () => {
  test.each(hostileValues)('$title', (row) => {
    row.check(observeFormatter(row))
  })
})

describe('hostile Accept and Accept-Language values', () => {
  test.each(hostileHeaders)('$title give a well-formed 404', (row) => {
    row.check(observeFormatter(row))
  })

  test.each(['\u2028', '\ud800', '😀', '\u0000\r\n'])(
    'Accept values Node would never deliver (%j) still give a 404 from the formatter',
    (junk) => {
      const response = observeFormatter({
        thrown: () => new NotFound(),
        request: { headers: { accept: `text/html${junk}`, 'accept-language': `zh${junk}` } },
      })
      expect(response.status).toBe(404)
    },
  )
})
