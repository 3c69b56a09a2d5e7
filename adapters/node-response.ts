/**
 * What every adapter that answers on a Node response (node:http, Express, Koa, Fastify) needs
 * to know of it: whether it goes over HTTP/2, and how to cut it so the client can tell.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { getStatus, type ShapedResponse } from 'errorshape'

/** RST_STREAM error codes (RFC 9113 §7). */
const INTERNAL_ERROR = 0x2
const CANCEL = 0x8

/** The HTTP/2 stream under a compatibility-API response (`Http2ServerResponse.stream`). */
interface StreamLike {
  readonly closed: boolean
  close(code: number): void
}

function streamOf(res: ServerResponse): StreamLike | undefined {
  const { stream } = res as unknown as { stream?: Partial<StreamLike> }
  return typeof stream?.close === 'function' ? (stream as StreamLike) : undefined
}

/** Whether the response goes out over HTTP/2 (node:http2's compatibility API). */
export function isHttp2(res: ServerResponse): boolean {
  return streamOf(res) !== undefined
}

/**
 * Cuts a response: on HTTP/1.1 the connection is destroyed; on HTTP/2 only its stream is
 * reset, with INTERNAL_ERROR when it failed part-way (RST_STREAM NO_ERROR, what
 * `destroy()` sends, would make a cut-short body look complete: RFC 9113 §8.1) and CANCEL
 * when no response is to be sent at all (444, 499). Never throws.
 */
export function cutResponse(res: ServerResponse, reason: 'failed' | 'no-response'): void {
  try {
    const stream = streamOf(res)
    if (stream === undefined) res.destroy()
    else if (!stream.closed) stream.close(reason === 'failed' ? INTERNAL_ERROR : CANCEL)
  } catch {
    // A socket that is already gone has nothing left to cut.
  }
}

/** Whether the connection (on HTTP/2: the stream) closed before the response was complete. */
export function isClientGone(req: IncomingMessage, res: ServerResponse): boolean {
  return !res.writableEnded && (res.destroyed || req.socket.destroyed)
}

/**
 * The error the response was destroyed with, if any: Koa 3 destroys a response with its
 * failed body stream's own error, a server failure and no client that left. Node's HTTP/2
 * compatibility response has no `errored`; its stream does.
 */
export function erroredWith(res: ServerResponse): unknown {
  const { stream } = res as unknown as { stream?: { errored?: unknown } }
  return res.errored ?? stream?.errored
}

/**
 * Gives the status line the RFC 9110 phrase (Node still says 413 Payload Too Large and 422
 * Unprocessable Entity), the same on every adapter; not on HTTP/2, which has none (Node warns
 * when one is set). Node and the frameworks keep a phrase set before the head is written.
 */
export function setReasonPhrase(res: ServerResponse, status: number): void {
  const phrase = getStatus(status)?.phrase
  if (phrase !== undefined && !isHttp2(res)) res.statusMessage = phrase
}

/**
 * Puts a shaped response's fields on `res`, whose status is already set: every field on it
 * that `shaped.headers` does not hold is removed, but Date (removing it turns Node's sendDate
 * off); the status line gets the RFC 9110 phrase (setReasonPhrase). A field Node still
 * refuses is left out: the formatter validated every one.
 */
export function putFields(res: ServerResponse, shaped: ShapedResponse): void {
  const { headers } = shaped
  for (const name of res.getHeaderNames()) {
    if (name !== 'date' && headers[name] === undefined) res.removeHeader(name)
  }
  setReasonPhrase(res, shaped.status)
  for (const name in headers) {
    try {
      res.setHeader(name, headers[name] as string | string[])
    } catch {
      // left out, as said above
    }
  }
}
