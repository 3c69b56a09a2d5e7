import { describe, expect, it, vi } from 'vitest'
import { createResponder, toResponse, type FetchOptions } from '../../adapters/fetch.js'
import { createError, NotFound, Unauthorized, type FormatWarning } from '../../src/index.js'

const QUIET: FetchOptions = { onError: false, onWarning: false }

describe('errorshape/fetch: toResponse', () => {
  it('reads method, path and headers from the Request', async () => {
    const request = new Request('https://api.example/users/42?fields=name', {
      headers: { Accept: 'text/html', 'Accept-Language': 'zh-CN' },
    })
    const response = toResponse(new NotFound('No user 42'), request, QUIET)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('content-language')).toBe('zh-CN')
    const body = await response.text()
    expect(body).toContain('No user 42')
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)))
  })

  it('sends one field line per challenge', () => {
    const error = new Unauthorized({
      challenge: [
        { scheme: 'Bearer', realm: 'api' },
        { scheme: 'Basic', realm: 'api' },
      ],
    })
    const response = toResponse(error, new Request('https://api.example/'), QUIET)
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api", Basic realm="api"')
  })

  it.each([
    ['HEAD', 404],
    ['GET', 304],
    ['GET', 205],
  ])('gives a null body to %s with %i', (method, status) => {
    const response = toResponse(
      createError(status),
      new Request('https://api.example/x', { method }),
      QUIET,
    )
    expect(response.status).toBe(status)
    expect(response.body).toBeNull()
  })

  it('answers 499 with an empty response with that status', async () => {
    const response = toResponse(createError(499), new Request('https://api.example/'), QUIET)
    expect(response.status).toBe(499)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect(await response.text()).toBe('')
  })

  it('never throws for a value that is not a Request', async () => {
    const response = toResponse(new NotFound(), JSON.parse('{}') as Request, QUIET)
    expect(response.status).toBe(404)
    expect(await response.json()).not.toHaveProperty('instance')
  })

  it('makes the formatter once per options object', () => {
    const warnings: FormatWarning[] = []
    const options: FetchOptions = { onError: false, onWarning: (warning) => warnings.push(warning) }
    const request = new Request('https://api.example/')
    // A 401 without a challenge is reported once per formatter.
    toResponse(createError(401 as number), request, options)
    toResponse(createError(401 as number), request, options)
    expect(warnings).toHaveLength(1)
    toResponse(createError(401 as number), request, { ...options })
    expect(warnings).toHaveLength(2)
  })

  it('throws a TypeError naming a bad option', () => {
    const request = new Request('https://api.example/')
    expect(() => toResponse(new NotFound(), request, { onError: 1 } as never)).toThrow(
      'option onError',
    )
    expect(() => createResponder({ formats: [] })).toThrow('option formats')
  })

  it('logs 5xx through console.error by default; hands onError the thrown value', () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    try {
      const request = new Request('https://api.example/')
      toResponse(new NotFound(), request, { onWarning: false })
      toResponse(new Error('database down'), request, { onWarning: false })
      expect(logged).toHaveBeenCalledTimes(1)

      const seen: unknown[] = []
      const thrown = new Error('boom')
      toResponse(thrown, request, {
        onWarning: false,
        onError: (error, info) => {
          seen.push(error, info)
          throw new Error('onError failed')
        },
      })
      expect(seen).toEqual([thrown, { status: 500, request, headersSent: false }])
      expect(logged).toHaveBeenCalledTimes(2) // the throwing onError, said once
    } finally {
      logged.mockRestore()
    }
  })
})
