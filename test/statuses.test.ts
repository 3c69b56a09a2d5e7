import { describe, expect, it } from 'vitest'
import { getStatus, statuses } from '../src/index.js'
import { en, zhCN } from '../src/entries/locales.js'

// Which codes the registry holds, with which phrases, is checked against the seed documents
// themselves in registry.test.ts; this file tests how the registry reads and what it derives.

describe('getStatus', () => {
  it('finds each status by its id, and each code by its number', () => {
    for (const info of statuses) {
      expect(getStatus(info.id)).toBe(info)
      if (info.subStatus === undefined) expect(getStatus(info.code)).toBe(info)
      else expect(info.id).toBe(`${info.code}.${info.subStatus}`)
    }
  })

  it('gives each status the class of its first digit', () => {
    expect(getStatus(101)?.class).toBe('informational')
    expect(getStatus(204)?.class).toBe('successful')
    expect(getStatus(308)?.class).toBe('redirection')
    expect(getStatus('403.14')?.class).toBe('client-error')
    expect(getStatus(599)?.class).toBe('server-error')
  })

  it('has a title and description in English and Chinese for every meaning', () => {
    for (const info of statuses) {
      for (const meaning of [info, ...(info.meanings ?? [])]) {
        expect(meaning.title.en).toBe(meaning.phrase)
        expect(meaning.description.en.length).toBeGreaterThan(20)
        expect(meaning.title['zh-CN']).toMatch(/\p{Script=Han}/u)
        expect(meaning.description['zh-CN']).toMatch(/\p{Script=Han}/u)
      }
    }
  })

  it('is standard exactly when an RFC defines it (the IANA registry lists each by its RFC)', () => {
    for (const info of statuses) {
      expect([info.id, info.standard]).toEqual([info.id, /^RFC \d+$/.test(info.origin)])
    }
  })

  it('marks IIS sub-statuses as IIS, never standard', () => {
    const subStatuses = statuses.filter((info) => info.subStatus !== undefined)
    expect(subStatuses.length).toBeGreaterThan(30)
    for (const info of subStatuses) expect(info).toMatchObject({ origin: 'IIS', standard: false })
  })

  it('reads the seeds’ spellings of IIS codes', () => {
    expect(getStatus('500-11')).toBe(getStatus('500.11'))
    expect(getStatus('500.1')).toBe(getStatus('500.100'))
    expect(getStatus(403.14)).toBe(getStatus('403.14'))
    expect(getStatus('403.14')?.title['zh-CN']).toBe('禁止访问：拒绝目录列表')
  })

  it.each([
    999,
    0,
    600,
    427,
    -1,
    Number.NaN,
    404.99,
    '404.9',
    'abc',
    '',
    '__proto__',
    'constructor',
  ])('gives undefined for %j', (code) => {
    expect(getStatus(code)).toBeUndefined()
  })

  it('never throws, whatever it is given', () => {
    for (const value of [null, undefined, {}, [], Symbol('x'), () => 404, 10n]) {
      expect(getStatus(value as never)).toBeUndefined()
    }
  })
})

describe('meanings where vendors disagree', () => {
  it.each([
    ['419', ['Smoothwall', 'Unofficial']],
    ['420', ['Twitter', 'Spring']],
    ['451', ['RFC 7725', 'IIS']],
    ['499', ['nginx', 'Esri', 'Antivirus']],
    ['530', ['Pantheon', 'Cloudflare']],
    ['425', ['RFC 8470', 'WebDAV draft']],
  ])('%s lists each meaning', (id, origins) => {
    const meanings = getStatus(id)?.meanings ?? []
    expect(meanings.map((meaning) => meaning.origin)).toEqual(origins)
    for (const meaning of meanings) {
      expect(meaning.title.en).toBe(meaning.phrase)
      expect(meaning.description.en.length).toBeGreaterThan(10)
      expect(meaning.description['zh-CN']).toMatch(/\p{Script=Han}/u)
    }
  })

  it('451 IIS is Redirect, 420 Spring is Method Failure', () => {
    expect(getStatus(451)?.meanings?.[1]).toMatchObject({ phrase: 'Redirect', standard: false })
    expect(getStatus(420)?.meanings?.[1]?.title['zh-CN']).toBe('方法失效')
    // The seed's 认证超时 is the other meaning of 419, Authentication Timeout.
    expect(getStatus(419)?.meanings?.[1]?.title).toEqual({
      en: 'Authentication Timeout',
      'zh-CN': '认证超时',
    })
  })
})

describe('what a status needs', () => {
  it.each([
    [401, ['WWW-Authenticate']],
    [405, ['Allow']],
    [407, ['Proxy-Authenticate']],
    [426, ['Upgrade']],
    [404, []],
  ])('%s requires %j', (code, headers) => {
    expect(getStatus(code)?.requiredHeaders).toEqual(headers)
  })

  it.each([
    [503, 'Retry-After'],
    [429, 'Retry-After'],
    [413, 'Retry-After'],
    [416, 'Content-Range'],
    [451, 'Link'],
    [301, 'Location'],
    [415, 'Accept'],
  ])('%s recommends %s', (code, header) => {
    expect(getStatus(code)?.recommendedHeaders).toContain(header)
  })

  it.each([
    [100, false],
    [204, false],
    [205, false],
    [304, false],
    [200, true],
    [404, true],
    [500, true],
  ])('%s may carry a body: %s', (code, mayHaveBody) => {
    expect(getStatus(code)?.mayHaveBody).toBe(mayHaveBody)
  })
})

describe('statuses', () => {
  it('lists each id once', () => {
    const ids = statuses.map((info) => info.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('is frozen', () => {
    expect(Object.isFrozen(statuses)).toBe(true)
    expect(Object.isFrozen(statuses[0])).toBe(true)
  })

  it('the two catalogs cover the same keys', () => {
    expect(Object.keys(zhCN.statuses).sort()).toEqual(Object.keys(en.statuses).sort())
    for (const info of statuses) expect(en.statuses[info.id]).toBeDefined()
  })

  it("the English catalog is the registry's phrases and descriptions", () => {
    for (const info of statuses) {
      const [main, ...others] = info.meanings ?? [info]
      expect(en.statuses[info.id]).toEqual({
        title: main?.phrase,
        description: main?.description.en,
      })
      for (const meaning of others) {
        expect(en.statuses[`${info.id} ${meaning.origin}`]).toEqual({
          title: meaning.phrase,
          description: meaning.description.en,
        })
      }
    }
    expect(Object.keys(en.statuses)).toHaveLength(
      statuses.reduce((count, info) => count + (info.meanings?.length ?? 1), 0),
    )
  })
})
