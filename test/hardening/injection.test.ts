/**
 * Header and markup injection through the bare formatter. The same cases run through every
 * adapter over real sockets in test/matrix/hardening.test.ts.
 */
import { describe, test } from 'vitest'
import { headerInjection, languageCases, markupRows, observeFormatter, type Row } from './cases.js'

function runRows(rows: readonly Row[]): void {
  test.each(rows)('$title', (row) => {
    row.check(observeFormatter(row))
  })
}

describe('header injection', () => {
  runRows(headerInjection)
  runRows(languageCases)
})

describe('markup injection into the HTML page', () => {
  runRows(markupRows)
})
