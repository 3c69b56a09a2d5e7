import { describe, expectTypeOf, it } from 'vitest'
import {
  createError,
  HttpError,
  MethodNotAllowed,
  NotFound,
  ProxyAuthenticationRequired,
  ServiceUnavailable,
  Unauthorized,
  UpgradeRequired,
  type FormatWarning,
  type StatusInfo,
  getStatus,
} from '../src/index.js'
import type { StatusWithRequiredOption } from '../src/errors.js'

describe('constructors whose options are required', () => {
  it('MethodNotAllowed needs allow', () => {
    // @ts-expect-error -- allow is required (RFC 9110 §15.5.6)
    new MethodNotAllowed()
    // @ts-expect-error -- a message alone is not enough
    new MethodNotAllowed('nope')
    // @ts-expect-error -- options without allow
    new MethodNotAllowed({ message: 'x' })
    expectTypeOf(new MethodNotAllowed({ allow: ['GET'] })).toEqualTypeOf<HttpError<405>>()
    expectTypeOf(new MethodNotAllowed('Read only', { allow: ['GET'] }).status).toEqualTypeOf<405>()
  })

  it('Unauthorized and ProxyAuthenticationRequired need a challenge', () => {
    // @ts-expect-error -- challenge is required (RFC 9110 §15.5.2)
    new Unauthorized()
    // @ts-expect-error -- challenge is required (RFC 9110 §15.5.8)
    new ProxyAuthenticationRequired({})
    new Unauthorized({ challenge: 'Bearer' })
    new Unauthorized('Token expired', { challenge: [{ scheme: 'Bearer', realm: 'api' }] })
  })

  it('UpgradeRequired needs upgrade', () => {
    // @ts-expect-error -- upgrade is required (RFC 9110 §15.5.22)
    new UpgradeRequired('x')
    new UpgradeRequired({ upgrade: ['TLS/1.3'] })
  })
})

describe('constructors whose options are optional', () => {
  it('take nothing, a message, options or both', () => {
    expectTypeOf(new NotFound()).toEqualTypeOf<HttpError<404>>()
    expectTypeOf(new NotFound('x').status).toEqualTypeOf<404>()
    new NotFound({ detail: 'x' })
    new ServiceUnavailable('Back soon', { retryAfter: 120 })
    new ServiceUnavailable({ retryAfter: new Date() })
    // @ts-expect-error -- retryAfter is a number or a Date
    new ServiceUnavailable({ retryAfter: '120' })
    // @ts-expect-error -- allow belongs to MethodNotAllowed
    new NotFound({ allow: ['GET'] })
  })
})

describe('createError', () => {
  it('gives the type of the class of a literal status', () => {
    expectTypeOf(createError(404)).toEqualTypeOf<NotFound>()
    expectTypeOf(createError(503, 'Back soon', { retryAfter: 120 })).toEqualTypeOf<HttpError<503>>()
    expectTypeOf(createError(405, { allow: ['GET'] })).toEqualTypeOf<MethodNotAllowed>()
    expectTypeOf(createError(405, 'Read only', { allow: ['GET'] }).status).toEqualTypeOf<405>()
  })

  it('requires the options the class requires', () => {
    expectTypeOf<StatusWithRequiredOption>().toEqualTypeOf<401 | 405 | 407 | 426>()
    // @ts-expect-error -- 405 requires allow, as new MethodNotAllowed does
    createError(405)
    // @ts-expect-error -- a message alone is not enough
    createError(405, 'Read only')
    // @ts-expect-error -- options without allow
    createError(405, { detail: 'x' })
    // @ts-expect-error -- 401 requires challenge
    createError(401, 'Log in')
    // @ts-expect-error -- 407 requires challenge
    createError(407, {})
    // @ts-expect-error -- 426 requires upgrade
    createError(426)
    createError(401, { challenge: 'Bearer' })
    createError(407, 'Proxy login', { challenge: { scheme: 'Basic', realm: 'proxy' } })
    createError(426, { upgrade: 'TLS/1.3' })
  })

  it('gives an HttpError for a status with no class, or one typed number', () => {
    expectTypeOf(createError(308, { location: '/x' })).toEqualTypeOf<HttpError>()
    expectTypeOf(createError(444)).toEqualTypeOf<HttpError>()
    const status: number = 405
    expectTypeOf(createError(status)).toEqualTypeOf<HttpError>()
  })
})

describe('getStatus', () => {
  it('getStatus may give undefined', () => {
    expectTypeOf(getStatus(404)).toEqualTypeOf<StatusInfo | undefined>()
  })
})

describe('FormatWarning', () => {
  it('has the codes the formatter emits, and no other', () => {
    expectTypeOf<FormatWarning['code']>().toEqualTypeOf<
      | 'missing-header'
      | 'field-dropped'
      | 'member-dropped'
      | 'map-failed'
      | 'instance-failed'
      | 'render-failed'
      | 'format-failed'
      | 'customize-failed'
      | 'request-id-failed'
    >()
  })
})
