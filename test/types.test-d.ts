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
  type StatusInfo,
  getStatus,
} from '../src/index.js'

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

describe('createError and getStatus', () => {
  it('createError gives an HttpError', () => {
    expectTypeOf(createError(404)).toEqualTypeOf<HttpError>()
    createError(308, { location: '/x' })
  })
  it('getStatus may give undefined', () => {
    expectTypeOf(getStatus(404)).toEqualTypeOf<StatusInfo | undefined>()
  })
})
