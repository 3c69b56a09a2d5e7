// @ts-check
// The users API's domain code, shared by the Express and Koa examples. It knows no framework:
// it throws errorshape's typed errors, and each app's error middleware turns them into
// responses. That is the point of errorshape — the code that decides *what* went wrong never
// decides *how* it is written on the wire.
import { createHash, timingSafeEqual } from 'node:crypto'
import {
  Conflict,
  NotFound,
  ServiceUnavailable,
  TooManyRequests,
  Unauthorized,
  UnprocessableContent,
} from 'errorshape'

/**
 * @typedef {{ id: string, name: string, email: string }} User
 * @typedef {{ limit: number, remaining: number, reset: number }} RateLimitState
 */

/** Headers the rate limiter sets on every response; the error handlers keep them on errors. */

/**
 * An in-memory user store, seeded with two users.
 * @param {ReadonlyArray<Omit<User, 'id'>>} [seed]
 */
export function createUserStore(
  seed = [
    { name: 'Ada Lovelace', email: 'ada@example.com' },
    { name: 'Grace Hopper', email: 'grace@example.com' },
  ],
) {
  /** @type {Map<string, User>} */
  const users = new Map()
  let lastId = 0

  /** @param {Omit<User, 'id'>} fields */
  const add = (fields) => {
    const email = fields.email.toLowerCase()
    for (const user of users.values()) {
      if (user.email === email) {
        throw new Conflict('A user with this email address already exists.', {
          code: 'EMAIL_TAKEN',
        })
      }
    }
    const user = { id: String(++lastId), name: fields.name, email }
    users.set(user.id, user)
    return user
  }
  for (const fields of seed) add(fields)

  return {
    list: () => [...users.values()],
    /** @param {string} id */
    get(id) {
      const user = users.get(id)
      if (user === undefined) throw new NotFound(`There is no user with id ${id}.`)
      return user
    },
    add,
    /** @param {string} id */
    remove(id) {
      if (!users.delete(id)) throw new NotFound(`There is no user with id ${id}.`)
    },
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Checks the body of `POST /users`. Every problem is reported at once, each with a JSON
 * Pointer (RFC 6901) to the member at fault, as RFC 9457's own 422 example does.
 * @param {unknown} body
 * @returns {Omit<User, 'id'>}
 */
export function validateNewUser(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new UnprocessableContent({ errors: [{ detail: 'must be a JSON object', pointer: '#' }] })
  }
  const { name, email } = /** @type {Record<string, unknown>} */ (body)
  /** @type {{ detail: string, pointer: string }[]} */
  const errors = []
  if (typeof name !== 'string' || name.trim() === '') {
    errors.push({ detail: 'is required and must be a non-empty string', pointer: '#/name' })
  } else if (name.length > 100) {
    errors.push({ detail: 'must be at most 100 characters', pointer: '#/name' })
  }
  if (typeof email !== 'string' || !EMAIL.test(email) || email.length > 254) {
    errors.push({ detail: 'must be an email address', pointer: '#/email' })
  }
  if (errors.length > 0) {
    throw new UnprocessableContent('The user could not be created.', { errors })
  }
  return { name: /** @type {string} */ (name).trim(), email: /** @type {string} */ (email) }
}

/** @param {string} text */
const digest = (text) => createHash('sha256').update(text).digest()

/**
 * Bearer authentication (RFC 6750) with one shared token.
 * @param {string} token the token clients must send
 */
export function createAuth(token) {
  const expected = digest(token)
  /**
   * Throws 401 unless the Authorization header carries the token.
   * @param {string | undefined} authorization
   */
  return function authenticate(authorization) {
    const match = /^Bearer +([\w\-.~+/]+=*) *$/i.exec(authorization ?? '')
    if (match === null) {
      // No credentials at all: RFC 6750 §3.1 says not to send an error code.
      throw new Unauthorized('Send an Authorization: Bearer header.', {
        challenge: { scheme: 'Bearer', realm: 'users' },
      })
    }
    // Comparing digests keeps the comparison constant-time whatever the lengths.
    if (!timingSafeEqual(digest(match[1] ?? ''), expected)) {
      throw new Unauthorized('The access token is not valid.', {
        challenge: { scheme: 'Bearer', realm: 'users', params: { error: 'invalid_token' } },
      })
    }
  }
}

/**
 * A fixed-window rate limiter: `limit` requests per client per window. All counts reset when
 * the window ends, so memory stays bounded by the clients seen in one window.
 * @param {{ limit?: number, windowMs?: number, now?: () => number }} [options]
 */
export function createRateLimiter({ limit = 100, windowMs = 60_000, now = Date.now } = {}) {
  /** @type {Map<string, number>} */
  let counts = new Map()
  let windowEnd = 0

  /**
   * Counts one request of `client`. Returns the state for the RateLimit headers, or throws
   * 429 with Retry-After once the client is over the limit.
   * @param {string} client
   * @param {(state: RateLimitState) => void} setHeaders called before any 429 is thrown
   */
  return function hit(client, setHeaders) {
    const time = now()
    if (time >= windowEnd) {
      counts = new Map()
      windowEnd = time + windowMs
    }
    const count = (counts.get(client) ?? 0) + 1
    counts.set(client, count)
    const reset = Math.max(1, Math.ceil((windowEnd - time) / 1000))
    setHeaders({ limit, remaining: Math.max(0, limit - count), reset })
    if (count > limit) {
      throw new TooManyRequests(`At most ${limit} requests per ${windowMs / 1000} seconds.`, {
        retryAfter: reset,
      })
    }
  }
}

/**
 * The maintenance switch: while on, every request but the switch itself is a 503.
 * @param {{ enabled?: boolean, retryAfter?: number }} [options]
 */
export function createMaintenance({ enabled = false, retryAfter = 300 } = {}) {
  const state = {
    enabled,
    check() {
      if (!state.enabled) return
      // 5xx messages are hidden by default; this one is meant for the client.
      throw new ServiceUnavailable('Down for maintenance; try again in a few minutes.', {
        retryAfter,
        expose: true,
      })
    },
  }
  return state
}

/**
 * Reads the body of `PUT /admin/maintenance`: `{ "enabled": true | false }`.
 * @param {unknown} body
 */
export function validateMaintenance(body) {
  const enabled =
    body !== null && typeof body === 'object' && 'enabled' in body ? body.enabled : undefined
  if (typeof enabled !== 'boolean') {
    throw new UnprocessableContent({
      errors: [{ detail: 'must be a boolean', pointer: '#/enabled' }],
    })
  }
  return enabled
}
