import { describe, expect, it } from 'vitest'
import { en, getStatus, statuses, zhCN } from '../src/index.js'

/**
 * Every code in shared/seeds, with the phrase, whether IANA registers it, its origin and the
 * seed's Chinese short name (where a seed gives one).
 */
const SEED_CODES: [id: string, phrase: string, standard: boolean, origin: string, zh?: string][] = [
  ['100', 'Continue', true, 'RFC 9110', '继续'],
  ['101', 'Switching Protocols', true, 'RFC 9110', '切换协议'],
  ['102', 'Processing', true, 'RFC 2518'],
  ['103', 'Early Hints', true, 'RFC 8297'],
  ['200', 'OK', true, 'RFC 9110', '成功'],
  ['201', 'Created', true, 'RFC 9110', '已创建'],
  ['202', 'Accepted', true, 'RFC 9110', '已接受'],
  ['203', 'Non-Authoritative Information', true, 'RFC 9110', '非授权信息'],
  ['204', 'No Content', true, 'RFC 9110', '无内容'],
  ['205', 'Reset Content', true, 'RFC 9110', '重置内容'],
  ['206', 'Partial Content', true, 'RFC 9110', '部分内容'],
  ['207', 'Multi-Status', true, 'RFC 4918'],
  ['208', 'Already Reported', true, 'RFC 5842'],
  ['226', 'IM Used', true, 'RFC 3229'],
  ['300', 'Multiple Choices', true, 'RFC 9110', '多种选择'],
  ['301', 'Moved Permanently', true, 'RFC 9110', '永久移动'],
  ['302', 'Found', true, 'RFC 9110', '临时移动'],
  ['303', 'See Other', true, 'RFC 9110', '查看其他位置'],
  ['304', 'Not Modified', true, 'RFC 9110', '未修改'],
  ['305', 'Use Proxy', true, 'RFC 9110', '使用代理'],
  ['306', 'Switch Proxy', true, 'RFC 9110'],
  ['307', 'Temporary Redirect', true, 'RFC 9110', '临时重定向'],
  ['308', 'Permanent Redirect', true, 'RFC 9110', '永久转移'],
  ['400', 'Bad Request', true, 'RFC 9110', '错误请求'],
  ['401', 'Unauthorized', true, 'RFC 9110', '未授权'],
  ['402', 'Payment Required', true, 'RFC 9110'],
  ['403', 'Forbidden', true, 'RFC 9110', '禁止'],
  ['404', 'Not Found', true, 'RFC 9110', '未找到'],
  ['405', 'Method Not Allowed', true, 'RFC 9110', '方法禁用'],
  ['406', 'Not Acceptable', true, 'RFC 9110', '不接受'],
  ['407', 'Proxy Authentication Required', true, 'RFC 9110', '需要代理授权'],
  ['408', 'Request Timeout', true, 'RFC 9110', '请求超时'],
  ['409', 'Conflict', true, 'RFC 9110', '冲突'],
  ['410', 'Gone', true, 'RFC 9110', '已删除'],
  ['411', 'Length Required', true, 'RFC 9110', '需要有效长度'],
  ['412', 'Precondition Failed', true, 'RFC 9110', '未满足前提条件'],
  ['413', 'Content Too Large', true, 'RFC 9110', '请求实体过大'],
  ['414', 'URI Too Long', true, 'RFC 9110', '请求的 URI 过长'],
  ['415', 'Unsupported Media Type', true, 'RFC 9110', '不支持的媒体类型'],
  ['416', 'Range Not Satisfiable', true, 'RFC 9110', '请求范围不符合要求'],
  ['417', 'Expectation Failed', true, 'RFC 9110', '未满足期望值'],
  ['418', "I'm a Teapot", true, 'RFC 2324', '我是一个茶壶'],
  ['419', "I'm a Fox", false, 'Smoothwall'],
  ['420', 'Enhance Your Calm', false, 'Twitter', '提高你的耐心'],
  ['421', 'Misdirected Request', true, 'RFC 9110'],
  ['422', 'Unprocessable Content', true, 'RFC 9110'],
  ['423', 'Locked', true, 'RFC 4918'],
  ['424', 'Failed Dependency', true, 'RFC 4918'],
  ['425', 'Too Early', true, 'RFC 8470'],
  ['426', 'Upgrade Required', true, 'RFC 9110'],
  ['428', 'Precondition Required', true, 'RFC 6585', '需要前置条件'],
  ['429', 'Too Many Requests', true, 'RFC 6585', '过多请求'],
  ['431', 'Request Header Fields Too Large', true, 'RFC 6585', '请求头部字段太大'],
  ['440', 'Login Time-out', false, 'IIS', '登录超时'],
  ['444', 'No Response', false, 'nginx', '无响应'],
  ['449', 'Retry With', false, 'IIS', '重试'],
  ['450', 'Blocked by Windows Parental Controls', false, 'Microsoft'],
  ['451', 'Unavailable For Legal Reasons', true, 'RFC 7725'],
  ['494', 'Request Header Too Large', false, 'nginx', '请求头太大'],
  ['495', 'SSL Certificate Error', false, 'nginx', '证书错误'],
  ['496', 'SSL Certificate Required', false, 'nginx', '没有证书'],
  ['497', 'HTTP Request Sent to HTTPS Port', false, 'nginx'],
  ['498', 'Invalid Token', false, 'Esri', '令牌超时或失效'],
  ['499', 'Client Closed Request', false, 'nginx', '客户端关闭请求'],
  ['500', 'Internal Server Error', true, 'RFC 9110', '服务器内部错误'],
  ['501', 'Not Implemented', true, 'RFC 9110', '尚未实施'],
  ['502', 'Bad Gateway', true, 'RFC 9110', '错误网关'],
  ['503', 'Service Unavailable', true, 'RFC 9110', '服务不可用'],
  ['504', 'Gateway Timeout', true, 'RFC 9110', '网关超时'],
  ['505', 'HTTP Version Not Supported', true, 'RFC 9110', 'HTTP 版本不受支持'],
  ['506', 'Variant Also Negotiates', true, 'RFC 2295'],
  ['507', 'Insufficient Storage', true, 'RFC 4918'],
  ['508', 'Loop Detected', true, 'RFC 5842', '发现环路'],
  ['509', 'Bandwidth Limit Exceeded', false, 'Apache/cPanel'],
  ['510', 'Not Extended', true, 'RFC 2774'],
  ['511', 'Network Authentication Required', true, 'RFC 6585', '需要网络授权'],
  ['520', 'Web Server Returned an Unknown Error', false, 'Cloudflare', '未知错误'],
  ['521', 'Web Server Is Down', false, 'Cloudflare'],
  ['522', 'Connection Timed Out', false, 'Cloudflare'],
  ['523', 'Origin Is Unreachable', false, 'Cloudflare'],
  ['524', 'A Timeout Occurred', false, 'Cloudflare'],
  ['525', 'SSL Handshake Failed', false, 'Cloudflare'],
  ['526', 'Invalid SSL Certificate', false, 'Cloudflare'],
  ['527', 'Railgun Error', false, 'Cloudflare'],
  ['530', 'Site Is Frozen', false, 'Pantheon'],
  ['598', 'Network Read Timeout Error', false, 'Informal convention'],
  ['599', 'Network Connect Timeout Error', false, 'Informal convention'],
]

/** The IIS sub-statuses the seeds list. */
const SUB_STATUSES = [
  ...['401.1', '401.2', '401.3', '401.4', '401.5', '401.7'],
  ...Array.from({ length: 20 }, (_, index) => `403.${index + 1}`),
  ...['404.0', '404.1', '404.2', '404.3'],
  ...['500.100', '500.11', '500.12', '500.13', '500.14', '500.15'],
]

describe('getStatus', () => {
  describe.each(SEED_CODES)('%s', (id, phrase, standard, origin, zh) => {
    const info = getStatus(Number(id))

    it(`is ${phrase}, ${standard ? 'standard' : 'non-standard'}, from ${origin}`, () => {
      expect(info).toBeDefined()
      expect(info).toBe(getStatus(id))
      expect(info).toMatchObject({ id, code: Number(id), phrase, standard, origin })
      expect(info?.subStatus).toBeUndefined()
    })

    it('has a title and description in English and Chinese', () => {
      expect(info?.title.en).toBe(phrase)
      if (zh !== undefined) expect(info?.title['zh-CN']).toBe(zh)
      expect(info?.title['zh-CN']).toMatch(/\p{Script=Han}/u)
      expect(info?.description.en.length).toBeGreaterThan(20)
      expect(info?.description['zh-CN']).toMatch(/\p{Script=Han}/u)
    })
  })

  it.each(SUB_STATUSES)('knows the IIS sub-status %s', (id) => {
    const info = getStatus(id)
    const [code, sub] = id.split('.')
    expect(info).toMatchObject({ id, code: Number(code), subStatus: Number(sub), origin: 'IIS' })
    expect(info?.standard).toBe(false)
    expect(info?.description.en.length).toBeGreaterThan(10)
    expect(info?.title['zh-CN']).toMatch(/\p{Script=Han}/u)
    expect(info?.description['zh-CN']).toMatch(/\p{Script=Han}/u)
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
  it('lists every seed code and sub-status once', () => {
    const ids = statuses.map((info) => info.id)
    expect(new Set(ids).size).toBe(ids.length)
    for (const [id] of SEED_CODES) expect(ids).toContain(id)
    for (const id of SUB_STATUSES) expect(ids).toContain(id)
  })

  it('is frozen', () => {
    expect(Object.isFrozen(statuses)).toBe(true)
    expect(Object.isFrozen(statuses[0])).toBe(true)
  })

  it('the two catalogs cover the same keys', () => {
    expect(Object.keys(zhCN.statuses).sort()).toEqual(Object.keys(en.statuses).sort())
    for (const info of statuses) expect(en.statuses[info.id]).toBeDefined()
  })
})
