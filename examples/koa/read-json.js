// @ts-check
// A tiny JSON body reader for the Koa example (no body-parser middleware needed): it checks
// the media type, stops at a size limit and throws errorshape errors, so a bad body is shaped
// like any other error.
import { BadRequest, ContentTooLarge, createError, UnsupportedMediaType } from 'errorshape'

/**
 * Reads the request body as JSON: 415 unless it is `application/json` in UTF-8, 413 past
 * `limit` bytes, 400 if it does not parse. An empty body reads as `{}`.
 * @param {import('koa').Context} ctx
 * @param {{ limit?: number }} [options] `limit` in bytes (default 10 kB)
 * @returns {Promise<unknown>}
 */
export async function readJson(ctx, { limit = 10 * 1024 } = {}) {
  if (!ctx.is('application/json')) throw new UnsupportedMediaType({ accept: ['application/json'] })
  const charset = ctx.request.charset.toLowerCase()
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
    throw new UnsupportedMediaType(`The charset ${charset} is not supported; send UTF-8.`, {
      accept: ['application/json'],
    })
  }
  // Refuse a declared length at once, before a byte is read; errorshape drains the rest so a
  // keep-alive connection survives.
  const declared = ctx.request.length
  if (declared !== undefined && declared > limit) throw tooLarge(limit)

  const text = (await readBounded(ctx.req, limit)).toString('utf8')
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new BadRequest('The request body is not valid JSON.', { cause: error })
  }
}

/** @param {number} limit */
const tooLarge = (limit) => new ContentTooLarge(`The request body may be at most ${limit} bytes.`)

/**
 * Collects a stream's bytes, failing as soon as there are more than `limit`.
 * @param {import('node:stream').Readable} stream
 * @param {number} limit
 * @returns {Promise<Buffer>}
 */
function readBounded(stream, limit) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = []
    let size = 0
    const stop = () => {
      stream.off('data', onData)
      stream.off('end', onEnd)
      stream.off('error', onGone)
      stream.off('close', onGone)
    }
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      size += chunk.length
      if (size > limit) {
        // Stop listening but leave the stream open: the error handler drains it.
        stop()
        stream.pause()
        reject(tooLarge(limit))
      } else {
        chunks.push(chunk)
      }
    }
    const onEnd = () => {
      stop()
      resolve(Buffer.concat(chunks, size))
    }
    /** @param {unknown} [error] */
    const onGone = (error) => {
      stop()
      // The client went away mid-body: 499 writes nothing and is not logged as a server error.
      reject(createError(499, 'The client closed the request.', { cause: error }))
    }
    stream.on('data', onData)
    stream.on('end', onEnd)
    stream.on('error', onGone)
    stream.on('close', onGone)
  })
}
