/**
 * defineProblemType: the class it makes (status, fixed type URI and title, defaults), the
 * titles the formatter negotiates by Accept-Language like its catalogs, one answer through
 * Express over supertest, and the definitions refused with a TypeError.
 */
import express from 'express'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { errorHandler } from '../adapters/express.js'
import {
  createFormatter,
  defineProblemType,
  HttpError,
  isHttpError,
  type ProblemTypeDefinition,
} from '../src/index.js'

class OutOfCredit extends defineProblemType({
  type: 'https://example.com/probs/out-of-credit',
  status: 403,
  title: 'You do not have enough credit.',
  detail: 'The balance does not cover the price.',
  titles: { 'zh-CN': '您的余额不足。', fr: "Vous n'avez pas assez de crédit." },
}) {}

const format = createFormatter({ onWarning: false })

function problemOf(error: unknown, headers: Record<string, string> = {}) {
  const shaped = format(error, { method: 'GET', url: '/account', headers })
  return { shaped, problem: JSON.parse(shaped.body ?? '{}') as Record<string, unknown> }
}

describe('a problem type class', () => {
  it('is an HttpError of its status, with the type URI and title of its definition', () => {
    const error = new OutOfCredit()
    expect(error).toBeInstanceOf(OutOfCredit)
    expect(error).toBeInstanceOf(HttpError)
    expect(error).toBeInstanceOf(Error)
    expect(isHttpError(error)).toBe(true)
    expect(error.status).toBe(403)
    expect(error.statusCode).toBe(403)
    expect(error.expose).toBe(true)
    expect(error.type).toBe('https://example.com/probs/out-of-credit')
    expect(error.title).toBe('You do not have enough credit.')
    expect(error.titles).toEqual({
      'zh-CN': '您的余额不足。',
      fr: "Vous n'avez pas assez de crédit.",
    })
    expect(error.name).toBe('OutOfCredit')
    expect(String(error)).toBe('OutOfCredit: Forbidden')
    expect(error.stack?.split('\n')[0]).toBe('OutOfCredit: Forbidden')
  })

  it('describes its type in statics, inherited by a subclass', () => {
    expect(OutOfCredit.status).toBe(403)
    expect(OutOfCredit.type).toBe('https://example.com/probs/out-of-credit')
    expect(OutOfCredit.title).toBe('You do not have enough credit.')
    expect(OutOfCredit.detail).toBe('The balance does not cover the price.')
    expect(Object.isFrozen(OutOfCredit.titles)).toBe(true)
  })

  it('takes the detail and extensions of each occurrence', () => {
    const error = new OutOfCredit({
      detail: 'Your balance is 30, but that costs 50.',
      extensions: { balance: 30, accounts: ['/account/12345'] },
    })
    const { problem } = problemOf(error)
    expect(problem).toEqual({
      type: 'https://example.com/probs/out-of-credit',
      title: 'You do not have enough credit.',
      status: 403,
      detail: 'Your balance is 30, but that costs 50.',
      instance: '/account',
      balance: 30,
      accounts: ['/account/12345'],
    })
  })

  it("falls back to the definition's detail, but a message of its own wins", () => {
    expect(problemOf(new OutOfCredit()).problem.detail).toBe(
      'The balance does not cover the price.',
    )
    const withMessage = new OutOfCredit('Top up to go on')
    expect(withMessage.message).toBe('Top up to go on')
    expect(problemOf(withMessage).problem.detail).toBe('Top up to go on')
  })

  it('keeps its type and title when an occurrence is given others', () => {
    // The types leave type and title out; a JavaScript caller may still pass them.
    const options = { type: 'https://evil.example/', title: 'Other' } as object
    const error = new OutOfCredit(options)
    expect(error.type).toBe('https://example.com/probs/out-of-credit')
    expect(error.title).toBe('You do not have enough credit.')
  })

  it('takes the options of its status: a 405 type builds Allow and requires it', () => {
    class ReadOnly extends defineProblemType({
      type: 'https://example.com/probs/read-only',
      status: 405,
      title: 'This resource is read-only.',
    }) {}
    const error = new ReadOnly({ allow: ['GET'] })
    expect(error.headers).toEqual({ allow: 'GET, HEAD' })
    expect(format(error, { headers: {} }).headers.allow).toBe('GET, HEAD')
    // @ts-expect-error allow is required on a 405 (RFC 9110 §15.5.6)
    expect(new ReadOnly().status).toBe(405)
  })

  it('never throws on options that cannot be read', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap')
        },
      },
    )
    const error = new OutOfCredit(hostile)
    expect(error.type).toBe('https://example.com/probs/out-of-credit')
    expect(problemOf(error).shaped.status).toBe(403)
  })

  it('can be used without a subclass', () => {
    const Gone = defineProblemType({
      type: 'https://example.com/probs/gone',
      status: 410,
      title: 'That is gone.',
    })
    const error = new Gone()
    expect(error.name).toBe('ProblemTypeError')
    expect(error.status).toBe(410)
    expect(error.titles).toEqual({})
  })
})

describe('its titles, negotiated by Accept-Language like the catalogs', () => {
  it.each([
    ['zh-CN', '您的余额不足。', 'zh-CN'],
    ['zh-Hans-CN', '您的余额不足。', 'zh-CN'],
    ['zh-CN, en;q=0.5', '您的余额不足。', 'zh-CN'],
    ['en-US', 'You do not have enough credit.', 'en'],
    // No fr catalog: English is chosen, so the English title goes with Content-Language: en.
    ['fr', 'You do not have enough credit.', 'en'],
    ['', 'You do not have enough credit.', 'en'],
  ])('"Accept-Language: %s" gets %s', (acceptLanguage, title, language) => {
    const { shaped, problem } = problemOf(new OutOfCredit(), {
      'accept-language': acceptLanguage,
    })
    expect(problem.title).toBe(title)
    expect(shaped.headers['content-language']).toBe(language)
  })

  it('uses a language the formatter has a catalog for', () => {
    const withFrench = createFormatter({ onWarning: false, locales: { fr: {} } })
    const shaped = withFrench(new OutOfCredit(), {
      headers: { 'accept-language': 'fr-CA, fr;q=0.9' },
    })
    expect(JSON.parse(shaped.body ?? '{}').title).toBe("Vous n'avez pas assez de crédit.")
    expect(shaped.headers['content-language']).toBe('fr')
  })

  it('matches tags in any case, and a primary language for a regional catalog', () => {
    class Locked extends defineProblemType({
      type: 'https://example.com/probs/locked',
      status: 423,
      title: 'The account is locked.',
      titles: { zh: '账户已锁定。', EN: 'Locked, sorry.' },
    }) {}
    expect(problemOf(new Locked(), { 'accept-language': 'zh-CN' }).problem.title).toBe(
      '账户已锁定。',
    )
    expect(problemOf(new Locked(), { 'accept-language': 'en' }).problem.title).toBe(
      'Locked, sorry.',
    )
  })

  it('stays right when one formatter answers the same error in turn in two languages', () => {
    const answers = ['zh-CN', 'en', 'zh-CN', 'en'].map(
      (language) => problemOf(new OutOfCredit(), { 'accept-language': language }).problem.title,
    )
    expect(answers).toEqual([
      '您的余额不足。',
      'You do not have enough credit.',
      '您的余额不足。',
      'You do not have enough credit.',
    ])
    const html = ['zh-CN', 'en'].map(
      (language) =>
        format(new OutOfCredit(), {
          headers: { accept: 'text/html', 'accept-language': language },
        }).body,
    )
    expect(html[0]).toContain('您的余额不足。')
    expect(html[1]).toContain('You do not have enough credit.')
  })

  it('localizes the text and XML formats too', () => {
    const text = format(new OutOfCredit(), {
      headers: { accept: 'text/plain', 'accept-language': 'zh-CN' },
    })
    expect(text.body?.split('\n')[0]).toBe('403 您的余额不足。')
    const xml = format(new OutOfCredit(), {
      headers: { accept: 'application/problem+xml', 'accept-language': 'zh-CN' },
    })
    expect(xml.body).toContain('<title>您的余额不足。</title>')
  })
})

describe('through Express', () => {
  const app = express()
  app.get('/account/purchase', () => {
    throw new OutOfCredit({ extensions: { balance: 30 } })
  })
  app.use(errorHandler({ onError: false, onWarning: false }))

  it('answers with the problem type, its title in the negotiated language', async () => {
    const response = await request(app)
      .get('/account/purchase')
      .set('Accept', 'application/problem+json')
      .set('Accept-Language', 'zh-CN,zh;q=0.9')
      .expect(403)
    expect(response.headers['content-type']).toBe('application/problem+json')
    expect(response.headers['content-language']).toBe('zh-CN')
    expect(JSON.parse(response.text)).toEqual({
      type: 'https://example.com/probs/out-of-credit',
      title: '您的余额不足。',
      status: 403,
      detail: 'The balance does not cover the price.',
      instance: '/account/purchase',
      balance: 30,
    })
  })
})

describe('a bad definition', () => {
  const good = { type: 'https://example.com/probs/x', status: 409, title: 'X' }
  it.each<[string, unknown]>([
    ['no definition', undefined],
    ['a relative type', { ...good, type: '/probs/x' }],
    ['a type that is a word', { ...good, type: 'out-of-credit' }],
    ['a type with a space', { ...good, type: 'https://example.com/a b' }],
    ['a type with a line break', { ...good, type: 'https://example.com/a\r\nb' }],
    ['about:blank', { ...good, type: 'about:blank' }],
    ['a type that is no string', { ...good, type: new URL('https://example.com/') }],
    ['status 399', { ...good, status: 399 }],
    ['status 600', { ...good, status: 600 }],
    ['status 403.5', { ...good, status: 403.5 }],
    ["status '403'", { ...good, status: '403' }],
    ['no title', { type: good.type, status: 409 }],
    ['an empty title', { ...good, title: ' ' }],
    ['a detail that is no string', { ...good, detail: 42 }],
    ['titles that are a list', { ...good, titles: ['x'] }],
    ['titles keyed by no language tag', { ...good, titles: { en_US: 'x' } }],
    ['an empty title in titles', { ...good, titles: { fr: '' } }],
  ])('throws a TypeError for %s', (_, definition) => {
    expect(() => defineProblemType(definition as ProblemTypeDefinition)).toThrow(TypeError)
  })

  it('names what is wrong', () => {
    expect(() => defineProblemType({ ...good, status: 200 })).toThrow(
      'errorshape: defineProblemType status must be an integer 400–599',
    )
  })

  it('accepts a URN and a fragment', () => {
    expect(defineProblemType({ ...good, type: 'urn:example:probs:x' }).type).toBe(
      'urn:example:probs:x',
    )
    expect(defineProblemType({ ...good, type: 'https://example.com/probs#x' }).status).toBe(409)
  })
})
