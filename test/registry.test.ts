/**
 * The status registry checked against the seed documents it was made from (shared/seeds/:
 * status-code tables in Chinese and English, from Wikipedia, Baidu Baike and three blogs).
 * The seeds are parsed here and the registry is compared with what they say, so no row of
 * the registry is written a second time in a test. The seeds live beside the project, not in
 * it: what the parser takes from them (codes and names, no prose) is kept in
 * test/fixtures/seed-statuses.json, which a clean clone tests against; where the seeds are
 * at hand, a test checks the fixture is what they say (UPDATE_SEEDS=1 rewrites it).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { getStatus, statuses, type StatusInfo } from '../src/index.js'

const SEEDS =
  process.env.ERRORSHAPE_SEEDS ?? fileURLToPath(new URL('../../shared/seeds/', import.meta.url))

/** What one seed says of one code: an English phrase, a Chinese short name, or just the code. */
interface SeedEntry {
  readonly id: string
  readonly phrase?: string
  readonly zh?: string
}

// A code or IIS sub-status as the seeds write them: 404, 403.14, 500-11, and the typo 403.1o.
const CODE = String.raw`(?<![\d.])([1-5]\d\d(?:[.-]\d{1,3}|\.1o)?)(?![\w.])`

/** The patterns of the seeds' tables, each giving a code and, where the table has one, a name. */
const TABLE_PATTERNS: readonly [pattern: RegExp, name: 'phrase' | 'zh' | undefined][] = [
  // Wikipedia's list: "- 404 Not Found", "- 102 Processing (WebDAV; RFC 2518)",
  // "- 598 (Informal convention) Network read timeout error", sometimes after a sentence.
  [/(?:^|\. )- (\d{3}) (?:\([^)]*\) )?([^(\n]*[^\s(])(?: \([^)\n]*\))?$/gm, 'phrase'],
  // HTML table rows: <td>404</td> <td>Not Found</td>.
  [/<td>(\d{3})<\/td>\s*<td>([^<]+)<\/td>/g, 'phrase'],
  // Baidu Baike, one long line: "404 Not Found 请求失败…", "1. 404 Not Found 2. …".
  [/(?<![\d.])(\d{3}) ([A-Z][A-Za-z' -]*[A-Za-z])(?= [\u4e00-\u9fff]| \d+\. | \dxx )/g, 'phrase'],
  // Chinese lines: "404 (未找到) 服务器找不到…", "440 (登陆超时(微软))…", "401.1 未授权…".
  [new RegExp(String.raw`^${CODE}[ \t]*(?:\(([^()\n]+)(?:\([^()\n]*\))?\))?`, 'gm'), 'zh'],
  // Markdown tables: "|404|…|", "| 404.0      | …".
  [new RegExp(String.raw`^\|\s*${CODE}\s*\|`, 'gm'), undefined],
]

// The seeds' spellings that getStatus does not read: 403.1o is 403.10 with a letter o.
const SEED_TYPOS: Readonly<Record<string, string>> = { '403.1o': '403.10' }

const FIXTURE = new URL('./fixtures/seed-statuses.json', import.meta.url)
const hasSeeds = existsSync(SEEDS)

/** The seeds' entries and how many documents they came from. */
interface Seeds {
  readonly documents: number
  readonly entries: readonly SeedEntry[]
}

function parseSeeds(): Seeds {
  const entries: SeedEntry[] = []
  for (const file of readdirSync(SEEDS).sort()) {
    const text = readFileSync(join(SEEDS, file), 'utf8')
    for (const [pattern, name] of TABLE_PATTERNS) {
      for (const [, id = '', value] of text.matchAll(pattern)) {
        entries.push(name === undefined || value === undefined ? { id } : { id, [name]: value })
      }
    }
  }
  return { documents: readdirSync(SEEDS).length, entries }
}

const readFixture = () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Seeds

describe.runIf(hasSeeds)('the fixture test/fixtures/seed-statuses.json', () => {
  it('is what the seed documents say', () => {
    const parsed = parseSeeds()
    if (process.env.UPDATE_SEEDS === '1') writeFileSync(FIXTURE, `${JSON.stringify(parsed)}\n`)
    expect(readFixture()).toEqual(parsed)
  })
})

/** The registry id a seed's code stands for, or the code itself when the registry lacks it. */
function registryIdOf(seedId: string): string {
  const id = SEED_TYPOS[seedId] ?? seedId
  return getStatus(id)?.id ?? id
}

const sameWords = (phrase: string) => phrase.trim().replace(/\s+/g, ' ').toLowerCase()

/** Every meaning of the registry's codes (not sub-statuses): id, phrase and Chinese title. */
function meaningsOf(info: StatusInfo) {
  const meanings = info.meanings ?? [info]
  return meanings.map(({ phrase, title }) => ({ id: info.id, phrase, zh: title['zh-CN'] }))
}

/**
 * The registry's phrases that are not the seeds' on purpose: the section of the RFC (or the
 * vendor's documentation) whose wording wins, and the seed wording it replaces.
 */
const PHRASE_DIFFERENCES: readonly [id: string, phrase: string, seeds: string, why: string][] = [
  ['413', 'Content Too Large', 'Payload Too Large', 'RFC 9110 §15.5.14'],
  ['422', 'Unprocessable Content', 'Unprocessable Entity', 'RFC 9110 §15.5.21'],
  // The seeds give only the withdrawn WebDAV draft's meaning, kept as the other meaning.
  ['425', 'Too Early', 'Unordered Collection', 'RFC 8470 §5.2'],
  [
    '421',
    'Too Many Connections From Your Internet Address',
    'There are too many connections from your internet address',
    'a phrase, not a sentence',
  ],
  [
    '499',
    'Request Forbidden by Antivirus',
    'Request has been forbidden by antivirus',
    'a phrase, not a sentence',
  ],
  ['520', 'Web Server Returned an Unknown Error', 'Unknown Error', "Cloudflare's name of 520"],
  // The seeds list 530 only as Pantheon's; Cloudflare sends it too, for an origin DNS error.
  ['530', 'Origin DNS Error', 'Site is frozen', "Cloudflare's name of 530"],
]

/** Meanings the seeds name only in Chinese: the English phrase is a translation of this. */
const NAMED_ONLY_IN_CHINESE: readonly [id: string, phrase: string, zh: string][] = [
  ['419', 'Authentication Timeout', '认证超时'],
  ['494', 'Request Header Too Large', '请求头太大'],
]

/** Chinese titles that are not the seed's short name on purpose. */
const CHINESE_DIFFERENCES: readonly [id: string, title: string, seed: string, why: string][] = [
  ['440', '登录超时', '登陆超时', 'the seed misspells 登录 (log in)'],
  [
    '450',
    '被 Windows 家长控制阻止',
    '被Windows家长控制阻塞',
    '阻止 is to block access; 阻塞 is to stall',
  ],
  [
    '451',
    '由于法律原因而无法访问',
    '由于法律原因而无效',
    'the resource is unavailable, not invalid',
  ],
  ['497', 'HTTP 请求发送到 HTTPS 端口', 'HTTP到HTTPS', 'the whole phrase, as in English'],
  ['598', '网络读取超时', '网络读取超时异常', 'as the other timeouts: 超时 says it failed'],
  ['599', '网络连接超时', '网络连接超时异常', 'as the other timeouts: 超时 says it failed'],
]

describe('the registry, against the seed documents', () => {
  const { documents, entries: seeds } = readFixture()
  const seedIds = new Set(seeds.map((entry) => registryIdOf(entry.id)))
  const phrasesOf = (id: string) =>
    new Set(
      seeds
        .filter((entry) => entry.phrase !== undefined && registryIdOf(entry.id) === id)
        .map((entry) => sameWords(entry.phrase ?? '')),
    )
  const codes = statuses.filter((info) => info.subStatus === undefined)

  it('parses every seed document', () => {
    expect(documents).toBeGreaterThanOrEqual(5)
    expect(seedIds.size).toBeGreaterThan(100)
  })

  it('knows every code and IIS sub-status the seeds name, and no other', () => {
    const registryIds = new Set(statuses.map((info) => info.id))
    expect([...seedIds].filter((id) => !registryIds.has(id))).toEqual([])
    expect([...registryIds].filter((id) => !seedIds.has(id))).toEqual([])
  })

  it("gives each meaning of a code a seed's phrase, or a listed difference", () => {
    const listed = new Set(
      [...PHRASE_DIFFERENCES, ...NAMED_ONLY_IN_CHINESE].map(([id, phrase]) => `${id} ${phrase}`),
    )
    const unmatched = codes
      .flatMap(meaningsOf)
      .filter(({ id, phrase }) => !phrasesOf(id).has(sameWords(phrase)))
      .map(({ id, phrase }) => `${id} ${phrase}`)
    expect(unmatched.sort()).toEqual([...listed].sort())
  })

  it.each(PHRASE_DIFFERENCES)('%s is %s where a seed says %s (%s)', (id, phrase, seed) => {
    expect(phrasesOf(id)).toContain(sameWords(seed))
    expect(codes.flatMap(meaningsOf)).toContainEqual(expect.objectContaining({ id, phrase }))
  })

  it('translates the meanings the seeds name only in Chinese', () => {
    for (const [id, phrase, zh] of NAMED_ONLY_IN_CHINESE) {
      expect(phrasesOf(id)).not.toContain(sameWords(phrase))
      expect(meaningsOf(getStatus(id)!)).toContainEqual({ id, phrase, zh })
    }
  })

  it("titles each code in Chinese with the seeds' short name, or a listed difference", () => {
    const mismatched = seeds
      .filter((entry) => entry.zh !== undefined)
      .map((entry) => ({ id: registryIdOf(entry.id), zh: entry.zh ?? '' }))
      .filter(({ id, zh }) => !meaningsOf(getStatus(id)!).some((meaning) => meaning.zh === zh))
      .map(({ id, zh }) => `${id} ${zh}`)
    expect(mismatched.sort()).toEqual(CHINESE_DIFFERENCES.map(([id, , seed]) => `${id} ${seed}`))
    for (const [id, title] of CHINESE_DIFFERENCES) {
      expect(meaningsOf(getStatus(id)!).map(({ zh }) => zh)).toContain(title)
    }
  })
})
