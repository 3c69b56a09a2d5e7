/**
 * The matrix's client: one request over HTTP/1.1 (node:http, a connection of its own) or
 * HTTP/2 (node:http2, one session per client, reused), resolved with exactly what arrived.
 * It never rejects and never hangs: every request is bounded by a timeout, after which it
 * resolves with what came so far (`error: 'ETIMEDOUT'`).
 */
import { Agent, request as http1Request, type IncomingMessage } from 'node:http'
import {
  connect as http2Connect,
  constants,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type IncomingHttpHeaders,
  type IncomingHttpStatusHeader,
  type OutgoingHttpHeaders,
} from 'node:http2'
import { connect as tcpConnect } from 'node:net'
import type { Protocol } from './harness.js'

/** Large enough for the 10 KB Accept and Accept-Language values and large error heads. */
export const MAX_HEAD_SIZE = 64 * 1024

/** How long a request may take before it resolves with what arrived. */
export const REQUEST_TIMEOUT = 5_000

/** HTTP/2 settings of both ends: heads as large as HTTP/1.1's MAX_HEAD_SIZE. */
export const HTTP2_SETTINGS = { maxHeaderListSize: MAX_HEAD_SIZE * 2 } as const

export type FieldValue = string | readonly string[]

export interface RequestSpec {
  /** Default 'GET'. */
  readonly method?: string
  /** Path and query; default '/'. */
  readonly path?: string
  /** Request header fields; on HTTP/2 the names are sent lower-case. */
  readonly headers?: Readonly<Record<string, FieldValue>>
  readonly body?: string | Buffer
  /**
   * A body written chunk by chunk instead of `body` (all at once, buffered by the client):
   * on HTTP/1.1 without a Content-Length field it goes chunked.
   */
  readonly chunks?: readonly (string | Buffer)[]
  /** Milliseconds; default REQUEST_TIMEOUT. */
  readonly timeout?: number
}

/** What came back, as the client saw it. */
export interface Exchange {
  /** The response status; undefined when no response head arrived. */
  readonly status: number | undefined
  /** Response header fields, lower-case names (no HTTP/2 pseudo-headers). */
  readonly headers: Readonly<Record<string, string | string[]>>
  readonly body: Buffer
  /** The body as UTF-8. */
  readonly text: string
  /**
   * Whether the response ended cleanly with all its bytes: on HTTP/1.1 node's `complete`; on
   * HTTP/2 the stream ended, closed with NGHTTP2_NO_ERROR, and the body matches any
   * Content-Length (not checked for HEAD, 204 and 304).
   */
  readonly complete: boolean
  /** The client-side error code ('ECONNRESET', 'ERR_HTTP2_STREAM_ERROR', 'ETIMEDOUT', …). */
  readonly error: string | undefined
  /** HTTP/2 only: the stream's rstCode (http2.constants: 0 NO_ERROR, 2 INTERNAL_ERROR, 8 CANCEL). */
  readonly rstCode?: number
  /** '1.1' or '2.0'; undefined when no response head arrived. */
  readonly httpVersion: string | undefined
  /** The ALPN protocol: 'h2' over TLS, 'h2c' for cleartext HTTP/2, undefined on HTTP/1.1. */
  readonly alpnProtocol: string | undefined
  /** Whether the connection was TLS. */
  readonly encrypted: boolean
  /**
   * Whether the request went over a connection an earlier request used: HTTP/1.1 through a
   * `Connection` (keep-alive), HTTP/2 on the client's one session (a stream id above 1).
   */
  readonly reusedConnection: boolean
}

/** Requests on one connection, kept alive: HTTP/1.1's keep-alive, HTTP/2's session. */
export interface Connection {
  send(request?: RequestSpec): Promise<Exchange>
  /** Closes the kept connection (HTTP/1.1; the HTTP/2 session closes with the client). */
  close(): void
}

export interface Client {
  send(request?: RequestSpec): Promise<Exchange>
  /**
   * Sends the request and cancels it once `when` resolves (HTTP/1.1: the connection is
   * destroyed; HTTP/2: the stream is closed with NGHTTP2_CANCEL). Resolves with what arrived.
   */
  sendAndCancel(request: RequestSpec, when: Promise<unknown>): Promise<Exchange>
  /**
   * A connection for several requests in turn: on HTTP/1.1 one kept-alive socket (an agent
   * of one socket), on HTTP/2 the client's session. Closed with the client.
   */
  connection(): Connection
  /**
   * HTTP/1.1 only: writes `text` on a fresh TCP connection, ends it, and resolves with every
   * byte the server sent until it closed (or until the timeout).
   */
  raw(text: string, timeout?: number): Promise<Buffer>
  /** Closes the HTTP/2 session and kept connections (destroyed if they do not close within a second). */
  close(): Promise<void>
}

export interface ClientOptions {
  readonly protocol: Protocol
  readonly port: number
  /** The server certificate, trusted as the only CA (HTTP/2 over TLS). */
  readonly ca?: Buffer
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : error instanceof Error ? error.name : String(error)
}

/** Collects what arrives and resolves once, with a timer that cuts the wait short. */
class Collector {
  status: number | undefined
  headers: Record<string, string | string[]> = {}
  readonly chunks: Buffer[] = []
  complete = false
  error: string | undefined
  rstCode: number | undefined
  httpVersion: string | undefined
  alpnProtocol: string | undefined
  encrypted = false
  reusedConnection = false
  private settled = false
  private readonly timer: NodeJS.Timeout
  readonly done: Promise<Exchange>
  private resolve: (exchange: Exchange) => void = () => undefined

  constructor(timeout: number, onTimeout: () => void) {
    this.done = new Promise((resolve) => {
      this.resolve = resolve
    })
    this.timer = setTimeout(() => {
      this.fail('ETIMEDOUT')
      onTimeout()
      this.finish()
    }, timeout)
  }

  /** An exchange that failed before anything was sent. */
  static failed(error: unknown): Promise<Exchange> {
    const collector = new Collector(0, () => undefined)
    collector.fail(error)
    collector.finish()
    return collector.done
  }

  fail(error: unknown): void {
    this.error ??= typeof error === 'string' ? error : codeOf(error)
  }

  finish(): void {
    if (this.settled) return
    this.settled = true
    clearTimeout(this.timer)
    const body = Buffer.concat(this.chunks)
    this.resolve({
      status: this.status,
      headers: this.headers,
      body,
      text: body.toString('utf8'),
      complete: this.complete && this.status !== undefined && this.error === undefined,
      error: this.error,
      ...(this.rstCode === undefined ? {} : { rstCode: this.rstCode }),
      httpVersion: this.httpVersion,
      alpnProtocol: this.alpnProtocol,
      encrypted: this.encrypted,
      reusedConnection: this.reusedConnection,
    })
  }
}

function http1Headers(message: IncomingMessage): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = value
  }
  return headers
}

function http2Headers(
  fields: IncomingHttpHeaders & IncomingHttpStatusHeader,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {}
  for (const [name, value] of Object.entries(fields)) {
    if (!name.startsWith(':') && value !== undefined) headers[name] = value
  }
  return headers
}

/** Writes `chunks` one by one (buffered by the stream as needed), then ends it. */
function writeChunks(
  stream: { write(chunk: string | Buffer): unknown; end(): unknown },
  chunks: readonly (string | Buffer)[],
): void {
  for (const chunk of chunks) stream.write(chunk)
  stream.end()
}

function sendHttp1(
  port: number,
  spec: RequestSpec,
  cancel?: Promise<unknown>,
  agent?: Agent,
): Promise<Exchange> {
  let destroy: () => void = () => undefined
  const collector = new Collector(spec.timeout ?? REQUEST_TIMEOUT, () => {
    destroy()
  })
  try {
    const req = http1Request({
      host: '127.0.0.1',
      port,
      method: spec.method ?? 'GET',
      path: spec.path ?? '/',
      headers: spec.headers as Record<string, string | string[]> | undefined,
      agent: agent ?? false,
      maxHeaderSize: MAX_HEAD_SIZE,
    })
    destroy = () => {
      req.destroy()
    }
    req.on('response', (res) => {
      collector.reusedConnection = req.reusedSocket
      collector.status = res.statusCode
      collector.headers = http1Headers(res)
      collector.httpVersion = res.httpVersion
      res.on('data', (chunk: Buffer) => collector.chunks.push(chunk))
      res.on('end', () => {
        collector.complete = res.complete
      })
      res.on('error', (error) => {
        collector.fail(error)
      })
      res.on('close', () => {
        collector.finish()
      })
    })
    req.on('error', (error) => {
      collector.fail(error)
      if (collector.status === undefined) collector.finish()
    })
    req.on('close', () => {
      if (collector.status === undefined) collector.finish()
    })
    void cancel?.then(destroy)
    if (spec.chunks === undefined) req.end(spec.body)
    else writeChunks(req, spec.chunks)
  } catch (error) {
    collector.fail(error)
    collector.finish()
  }
  return collector.done
}

/** Whether the body matches the Content-Length, where one must. */
function lengthMatches(collector: Collector, method: string): boolean {
  const length = collector.headers['content-length']
  if (typeof length !== 'string' || method === 'HEAD') return true
  if (collector.status === 204 || collector.status === 304) return true
  return Number(length) === collector.chunks.reduce((total, chunk) => total + chunk.length, 0)
}

function sendHttp2(
  session: ClientHttp2Session,
  spec: RequestSpec,
  cancel?: Promise<unknown>,
): Promise<Exchange> {
  const method = spec.method ?? 'GET'
  let stream: ClientHttp2Stream | undefined
  const collector = new Collector(spec.timeout ?? REQUEST_TIMEOUT, () => {
    if (stream !== undefined && !stream.closed) stream.close(constants.NGHTTP2_CANCEL)
  })
  // Known once the session connected: read when the stream ends, whichever way.
  const readSession = (): void => {
    collector.alpnProtocol = session.alpnProtocol
    collector.encrypted = session.encrypted === true
  }
  try {
    const headers: OutgoingHttpHeaders = {
      ...(spec.headers as OutgoingHttpHeaders | undefined),
      ':method': method,
      ':path': spec.path ?? '/',
    }
    const opened = session.request(headers, {
      endStream: spec.body === undefined && spec.chunks === undefined,
    })
    stream = opened
    let ended = false
    opened.on('response', (fields) => {
      // Client streams are odd, from 1: a later one shares the session with an earlier one.
      collector.reusedConnection = (opened.id ?? 1) > 1
      collector.status = fields[':status']
      collector.headers = http2Headers(fields)
      collector.httpVersion = '2.0'
    })
    opened.on('data', (chunk: Buffer) => collector.chunks.push(chunk))
    opened.on('end', () => {
      ended = true
    })
    opened.on('error', (error) => {
      collector.fail(error)
    })
    opened.on('close', () => {
      readSession()
      collector.rstCode = opened.rstCode
      collector.complete =
        ended && opened.rstCode === constants.NGHTTP2_NO_ERROR && lengthMatches(collector, method)
      collector.finish()
    })
    void cancel?.then(() => {
      if (!opened.closed) opened.close(constants.NGHTTP2_CANCEL)
    })
    if (spec.chunks !== undefined) writeChunks(opened, spec.chunks)
    else if (spec.body !== undefined) opened.end(spec.body)
  } catch (error) {
    collector.fail(error)
    collector.finish()
  }
  return collector.done
}

/** Writes `text` on a fresh TCP connection; resolves with all the server sent until it closed. */
function exchangeRaw(port: number, text: string, timeout: number): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = tcpConnect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    const timer = setTimeout(() => socket.destroy(), timeout)
    socket.on('data', (chunk: Buffer) => chunks.push(chunk))
    // A reset after a cut response is expected: the bytes that came before are the point.
    socket.on('error', () => undefined)
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(Buffer.concat(chunks))
    })
    socket.end(text)
  })
}

function closeSession(session: ClientHttp2Session): Promise<void> {
  if (session.destroyed) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      session.destroy()
    }, 1_000)
    session.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
    session.close()
  })
}

/** A client of one server: HTTP/1.1 connections of their own, or one HTTP/2 session. */
export function createClient({ protocol, port, ca }: ClientOptions): Client {
  const raw = (text: string, timeout = REQUEST_TIMEOUT): Promise<Buffer> =>
    protocol === 'http1'
      ? exchangeRaw(port, text, timeout)
      : Promise.reject(new Error(`matrix: raw exchanges are HTTP/1.1 only, not ${protocol}`))
  if (protocol === 'http1') {
    const agents = new Set<Agent>()
    return {
      send: (spec = {}) => sendHttp1(port, spec),
      sendAndCancel: (spec, when) => sendHttp1(port, spec, when),
      connection: () => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 })
        agents.add(agent)
        return {
          send: (spec = {}) => sendHttp1(port, spec, undefined, agent),
          close: () => {
            agents.delete(agent)
            agent.destroy()
          },
        }
      },
      raw,
      close: () => {
        for (const agent of agents) agent.destroy()
        agents.clear()
        return Promise.resolve()
      },
    }
  }
  const origin = `${protocol === 'h2' ? 'https' : 'http'}://127.0.0.1:${port}`
  const sessions = new Set<ClientHttp2Session>()
  let current: ClientHttp2Session | undefined
  let closed = false
  /** The session, opened again if the server closed the last one (a crash, a GOAWAY). */
  const session = (): ClientHttp2Session => {
    if (closed) throw new Error('the client is closed')
    if (current === undefined || current.closed || current.destroyed) {
      const opened = http2Connect(origin, {
        settings: HTTP2_SETTINGS,
        ...(ca === undefined ? {} : { ca }),
      })
      // A session error also fails its streams, where the exchange records it.
      opened.on('error', () => undefined)
      opened.once('close', () => sessions.delete(opened))
      sessions.add(opened)
      current = opened
    }
    return current
  }
  const send = (spec: RequestSpec, cancel?: Promise<unknown>): Promise<Exchange> => {
    let opened: ClientHttp2Session
    try {
      opened = session()
    } catch (error) {
      return Collector.failed(error)
    }
    return sendHttp2(opened, spec, cancel)
  }
  return {
    send: (spec = {}) => send(spec),
    sendAndCancel: (spec, when) => send(spec, when),
    connection: () => ({ send: (spec = {}) => send(spec), close: () => undefined }),
    raw,
    close: async () => {
      closed = true
      await Promise.all([...sessions].map(closeSession))
    },
  }
}
