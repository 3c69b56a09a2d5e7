import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { sha256, toBase64 } from '../src/render/sha256.js'

const reference = (text: string) => createHash('sha256').update(text).digest('base64')

describe('sha256', () => {
  it.each([
    '',
    'abc',
    'a'.repeat(55),
    'a'.repeat(56),
    'a'.repeat(64),
    '未找到 ✓',
    'x'.repeat(5000),
  ])('matches node:crypto for %j', (text) => {
    expect(toBase64(sha256(text))).toBe(reference(text))
  })

  it('matches node:crypto for arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (text) => {
        expect(toBase64(sha256(text))).toBe(reference(text))
      }),
    )
  })
})
