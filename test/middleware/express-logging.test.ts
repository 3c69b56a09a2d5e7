/**
 * Request loggers on Express 5 (`express`) and Express 4 (`express4`), registered first (they
 * log when the response finishes, so they see errorHandler()'s answer): morgan logs the status
 * errorshape sent; pino-http logs the thrown error itself once errorHandler's onError puts it
 * on `res.err`, which pino-http reads (without it a 5xx is logged as "failed with status code
 * 500" and a 4xx with no error at all).
 */
import express, { type Express } from 'express'
import express4 from 'express4'
import morgan from 'morgan'
import { pino } from 'pino'
import { pinoHttp } from 'pino-http'
import request from 'supertest'
import { describe, expect, it, vi } from 'vitest'
import { errorHandler, notFound, type ExpressOptions } from '../../adapters/express.js'
import { NotFound, validationError } from '../../src/index.js'

const MAJORS = [
  ['Express 5 (express)', express],
  ['Express 4 (express4)', express4],
] as const

/** A pino-http log line, as these tests read it. */
interface LogLine {
  level: number
  msg: string
  res: { statusCode: number }
  err?: { type: string; message: string; stack: string }
}

/** The README's recipe: the thrown value on `res.err`, where pino-http looks for it. */
const forPino: ExpressOptions = {
  onWarning: false,
  onError: (error, { request }) => {
    if (request.res) request.res.err = error as Error
  },
}

describe.each(MAJORS)('%s', (_major, createApp) => {
  function build(logger: express.RequestHandler, options: ExpressOptions): Express {
    const app = createApp()
    app.use(logger)
    app.use(express.json())
    app.post('/users', () => {
      throw validationError([{ message: 'must be an e-mail address', path: ['email'] }])
    })
    app.get('/users/:id', (req) => {
      throw new NotFound(`No user ${req.params.id}`)
    })
    app.get('/report', () => {
      throw new Error('database connection lost')
    })
    app.use(notFound())
    app.use(errorHandler(options))
    return app
  }

  describe('morgan', () => {
    it("logs errorshape's status and media type: a 422, a notFound() 404, a 500", async () => {
      const lines: string[] = []
      const logger = morgan(':method :url :status :res[content-type]', {
        stream: { write: (line: string) => lines.push(line) },
      })
      const app = build(logger, { onError: false, onWarning: false })
      await request(app).post('/users').send({ email: 'nope' }).expect(422)
      await request(app).get('/nowhere').expect(404)
      await request(app).get('/report').expect(500)
      // morgan writes when the response has finished, which may come after the client read it.
      await vi.waitFor(() => {
        expect(lines).toHaveLength(3)
      })
      expect(lines).toEqual([
        'POST /users 422 application/problem+json\n',
        'GET /nowhere 404 application/problem+json\n',
        'GET /report 500 application/problem+json\n',
      ])
    })
  })

  describe('pino-http', () => {
    function logged(
      options: ExpressOptions,
      customLogLevel?: (req: unknown, res: { statusCode: number }) => 'error' | 'warn' | 'info',
    ): { app: Express; lines: LogLine[] } {
      const lines: LogLine[] = []
      const destination = {
        write: (line: string) => lines.push(JSON.parse(line) as LogLine),
      }
      const logger = pino({ base: null }, destination)
      const app = build(pinoHttp(customLogLevel ? { logger, customLogLevel } : { logger }), options)
      return { app, lines }
    }

    it('logs the thrown error with the status sent, once onError puts it on res.err', async () => {
      const { app, lines } = logged(forPino)
      await request(app).get('/report').expect(500)
      await request(app).get('/users/42').expect(404)
      await vi.waitFor(() => {
        expect(lines).toHaveLength(2)
      })
      const [serverError, notFoundError] = lines
      expect(serverError).toMatchObject({
        msg: 'request errored',
        res: { statusCode: 500 },
        err: { type: 'Error', message: 'database connection lost' },
      })
      expect(serverError?.err?.stack).toContain('database connection lost')
      expect(notFoundError).toMatchObject({
        msg: 'request errored',
        res: { statusCode: 404 },
        err: { message: 'No user 42' },
      })
      // pino-http logs at its useLevel, info (30), whatever the status (customLogLevel changes it).
      expect(lines.map((line) => line.level)).toEqual([30, 30])
    })

    it('logs a 5xx at error and a 4xx at warn with the customLogLevel the README shows', async () => {
      const { app, lines } = logged(forPino, (_req, res) =>
        res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
      )
      await request(app).get('/report').expect(500)
      await request(app).post('/users').send({ email: 'nope' }).expect(422)
      await vi.waitFor(() => {
        expect(lines).toHaveLength(2)
      })
      expect(lines.map((line) => [line.level, line.res.statusCode])).toEqual([
        [50, 500],
        [40, 422],
      ])
      expect(lines[1]?.err?.message).toBe('Unprocessable Content')
    })

    it('without the recipe, logs "failed with status code 500" and no error for a 404', async () => {
      const { app, lines } = logged({ onError: false, onWarning: false })
      await request(app).get('/report').expect(500)
      await request(app).get('/users/42').expect(404)
      await vi.waitFor(() => {
        expect(lines).toHaveLength(2)
      })
      expect(lines[0]?.err?.message).toBe('failed with status code 500')
      expect(lines[1]).toMatchObject({ msg: 'request completed', res: { statusCode: 404 } })
      expect(lines[1]?.err).toBeUndefined()
    })
  })
})
