/**
 * Request validation middleware on Express 5 (`express`) and Express 4 (`express4`):
 * express-validator through `validationError` (the recipe the README shows), and celebrate,
 * whose CelebrateError errorHandler() answers by itself. Both give a 422 whose `errors` point
 * into the request part that failed: `#/body/email`, `#/query/page`.
 */
import { celebrate, Joi, Modes, Segments } from 'celebrate'
import express, { type Express } from 'express'
import express4 from 'express4'
import { body, oneOf, query, validationResult } from 'express-validator'
import request from 'supertest'
import { describe, expect, it } from 'vitest'
import { errorHandler, notFound } from '../../adapters/express.js'
import { expectDate } from './fields.js'

const MAJORS = [
  ['Express 5 (express)', express],
  ['Express 4 (express4)', express4],
] as const

describe.each(MAJORS)('%s', (_major, createApp) => {
  function build(setup: (app: Express) => void): Express {
    const app = createApp()
    app.use(express.json())
    setup(app)
    app.use(notFound())
    app.use(errorHandler({ onError: false, onWarning: false }))
    return app
  }

  describe('express-validator, validationResult(req).throw()', () => {
    const app = build((app) => {
      app.post(
        '/users',
        oneOf([body('phone').isMobilePhone('any'), body('fax').isInt()], {
          message: 'give a phone or a fax number',
        }),
        body('email').isEmail().withMessage('must be an e-mail address'),
        body('address.city').notEmpty().withMessage('must not be empty'),
        body('tags.*').isString().withMessage('must be a string'),
        query('page').optional().isInt({ min: 1 }).withMessage('must be a page number'),
        (req, res) => {
          validationResult(req).throw() // recognised: no mapping needed
          res.status(201).json({ created: true })
        },
      )
    })

    it('answers 422 with one item per failed check, each pointing at its field', async () => {
      const failed = await request(app)
        .post('/users?page=0')
        .send({ email: 'nope', address: { city: '' }, tags: ['a', 5], phone: 'x', fax: 'y' })
        .expect(422)
      expect(failed.headers['content-type']).toBe('application/problem+json')
      expect(failed.body).toMatchObject({ status: 422, title: 'Unprocessable Content' })
      expect(failed.body.errors).toEqual([
        // oneOf(): each alternative's failure
        { detail: 'Invalid value', pointer: '#/body/phone' },
        { detail: 'Invalid value', pointer: '#/body/fax' },
        { detail: 'must be an e-mail address', pointer: '#/body/email' },
        { detail: 'must not be empty', pointer: '#/body/address/city' },
        { detail: 'must be a string', pointer: '#/body/tags/1' },
        { detail: 'must be a page number', pointer: '#/query/page' },
      ])
      expectDate(failed.headers.date)
    })

    it('lets a valid request through', async () => {
      await request(app)
        .post('/users')
        .send({ email: 'ada@example.com', address: { city: 'London' }, tags: ['math'], fax: 5 })
        .expect(201)
    })
  })

  describe('celebrate', () => {
    const app = build((app) => {
      app.post(
        '/users',
        celebrate(
          {
            [Segments.BODY]: Joi.object({
              name: Joi.string().required(),
              age: Joi.number().integer().min(0),
            }),
            [Segments.QUERY]: Joi.object({ page: Joi.number().integer().min(1) }),
          },
          { abortEarly: false },
          { mode: Modes.FULL },
        ),
        (_req, res) => {
          res.status(201).json({ created: true })
        },
      )
    })

    it('answers its CelebrateError with 422 and errors[] pointing into body and query', async () => {
      const failed = await request(app).post('/users?page=0').send({ age: -1 }).expect(422)
      expect(failed.headers['content-type']).toBe('application/problem+json')
      expect(failed.body).toMatchObject({ status: 422, title: 'Unprocessable Content' })
      // celebrate validates the query before the body.
      expect(failed.body.errors).toEqual([
        { detail: '"page" must be greater than or equal to 1', pointer: '#/query/page' },
        { detail: '"name" is required', pointer: '#/body/name' },
        { detail: '"age" must be greater than or equal to 0', pointer: '#/body/age' },
      ])
      expectDate(failed.headers.date)
    })

    it('lets a valid request through', async () => {
      await request(app).post('/users?page=2').send({ name: 'Ada', age: 36 }).expect(201)
    })
  })
})
