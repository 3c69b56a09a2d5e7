/**
 * The ids a person quotes to support, on every adapter and protocol: a request's W3C
 * traceparent gives the problem its `traceId` (problem+json, the HTML page), `requestId`
 * comes from X-Request-Id through the option, and `customize` adds a member — for a thrown
 * error and for an unmatched path alike.
 */
import { expect, it } from 'vitest'
import { NotFound } from '../../src/index.js'
import { BROWSER_ACCEPT, expectErrorHeaders, json, JSON_ACCEPT } from './expectations.js'
import { describeMatrix, throws } from './harness.js'

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const TRACEPARENT = `00-${TRACE_ID}-00f067aa0ba902b7-01`
const OTHER_TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'

describeMatrix('when a request carries a traceparent or an X-Request-Id', (target) => {
  const app = target.share({
    routes: {
      '/users/42': throws(() => new NotFound('No user 42')),
      '/boom': throws(() => new Error('password=hunter2')),
    },
    options: {
      requestId: (request) => {
        const id = request.headers['x-request-id']
        return typeof id === 'string' ? id : undefined
      },
      customize: (problem, { status }) => ({
        ...problem,
        docs: `https://docs.example.com/errors/${String(status)}`,
      }),
    },
  })

  it('problem+json has the traceId and requestId after the RFC 9457 members', async () => {
    const response = await app().send({
      path: '/users/42',
      headers: { ...JSON_ACCEPT, traceparent: TRACEPARENT, 'x-request-id': 'req-7' },
    })
    expect(response.status).toBe(404)
    expect(json(response)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No user 42',
      instance: '/users/42',
      traceId: TRACE_ID,
      requestId: 'req-7',
      docs: 'https://docs.example.com/errors/404',
    })
    expect(response.headers.vary).toContain('traceparent')
    expectErrorHeaders(response)
  })

  it('the HTML page shows both ids under their labels', async () => {
    const response = await app().send({
      path: '/boom',
      headers: { accept: BROWSER_ACCEPT, traceparent: TRACEPARENT, 'x-request-id': 'req-8' },
    })
    expect(response.status).toBe(500)
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(response.text).toContain(`<dt>Trace ID</dt><dd><code>${TRACE_ID}</code></dd>`)
    expect(response.text).toContain('<dt>Request ID</dt><dd><code>req-8</code></dd>')
    expect(response.text).not.toContain('hunter2')
    expectErrorHeaders(response)
  })

  it('an unmatched path gets them too, through the adapter’s not-found handling', async () => {
    const response = await app().send({
      path: '/nowhere',
      headers: { ...JSON_ACCEPT, traceparent: OTHER_TRACEPARENT },
    })
    expect(response.status).toBe(404)
    expect(json(response)).toMatchObject({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      docs: 'https://docs.example.com/errors/404',
    })
  })

  it('requests with other traceparents, or none, never share a body', async () => {
    const bodies = []
    for (const traceparent of [TRACEPARENT, OTHER_TRACEPARENT, undefined, TRACEPARENT]) {
      const headers = { accept: BROWSER_ACCEPT, ...(traceparent ? { traceparent } : {}) }
      const response = await app().send({ path: '/users/42', headers })
      bodies.push(response.text)
    }
    expect(bodies[0]).toContain(TRACE_ID)
    expect(bodies[1]).toContain('0af7651916cd43dd8448eb211c80319c')
    expect(bodies[1]).not.toContain(TRACE_ID)
    expect(bodies[2]).not.toContain('Trace ID')
    expect(bodies[3]).toBe(bodies[0])
  })

  it('an invalid or repeated traceparent gives no traceId', async () => {
    for (const traceparent of [
      `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`,
      `ff-${TRACE_ID}-00f067aa0ba902b7-01`,
      [TRACEPARENT, OTHER_TRACEPARENT],
    ]) {
      const response = await app().send({
        path: '/users/42',
        headers: { ...JSON_ACCEPT, traceparent },
      })
      expect(response.status).toBe(404)
      expect(json(response)).not.toHaveProperty('traceId')
      expect(response.headers.vary).not.toContain('traceparent')
    }
  })

  it('without either header: no ids, only what customize adds, and no warning', async () => {
    const response = await app().send({ path: '/users/42', headers: JSON_ACCEPT })
    expect(json(response)).toEqual({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      detail: 'No user 42',
      instance: '/users/42',
      docs: 'https://docs.example.com/errors/404',
    })
    expect(app().warnings).toEqual([])
    expect(app().crashes).toEqual([])
  })
})
