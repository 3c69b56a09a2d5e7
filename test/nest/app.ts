/**
 * Nest apps for the filter's tests, on Nest's Express platform and its Fastify one, served on
 * 127.0.0.1 (an ephemeral port) and asked with the matrix's HTTP/1.1 client.
 *
 * The repository's tsconfig has no experimentalDecorators, and esbuild emits no decorator
 * metadata: the controllers are plain classes, Nest's decorators are applied by calling them
 * (`Get(path)(prototype, key, descriptor)`), and the metadata TypeScript would emit for a
 * `@Body()` parameter's type (what ValidationPipe validates against) is defined by hand.
 */
import 'reflect-metadata'
import helmet from 'helmet'
import fastifyHelmet from '@fastify/helmet'
import {
  All,
  Controller,
  Get,
  Header,
  Logger,
  Module,
  Post,
  type ExceptionFilter,
  type LoggerService,
  type MiddlewareConsumer,
  type NestModule,
  type Provider,
} from '@nestjs/common'
import { ExpressAdapter } from '@nestjs/platform-express'
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify'
import { Test } from '@nestjs/testing'
import type { AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { createClient, type Client } from '../matrix/client.js'

export type Platform = 'express' | 'fastify'
export const PLATFORMS: readonly Platform[] = ['express', 'fastify']

/** One route of the test controller: what it throws (or returns) and what it set before. */
export interface Route {
  /** Default GET; ALL answers every method (`@All()`). */
  readonly method?: 'GET' | 'POST' | 'ALL'
  readonly path: string
  /** Called with the value of `param`, when one is given. */
  readonly handle: (argument?: unknown) => unknown
  /** Fields set with `@Header()`, which Nest sets before the handler runs. */
  readonly headers?: Readonly<Record<string, string>>
  /**
   * The handler's one parameter: its decorator (`Body(pipe)`, `Res()` …) and, for a DTO, its
   * class, which ValidationPipe validates against.
   */
  readonly param?: { readonly decorator: ParameterDecorator; readonly type?: new () => object }
}

/** One log line the app's logger was given. */
export interface LogLine {
  readonly level: string
  readonly message: unknown
  readonly params: readonly unknown[]
}

export interface NestSpec {
  readonly routes: readonly Route[]
  /** How the filter is registered: `useGlobalFilters(filter())`, or these providers. */
  readonly filter?: () => ExceptionFilter
  readonly providers?: readonly Provider[]
  /** helmet (Express) or @fastify/helmet (Fastify), registered before the routes. */
  readonly helmet?: boolean
  /** Middleware registered with `app.use(path, handle)` (on Fastify, through @fastify/middie). */
  readonly middleware?: Middleware
  /** Nest middleware, applied with a module's `configure(consumer)` to the routes of `path`. */
  readonly nestMiddleware?: Middleware
}

export interface Middleware {
  readonly path: string
  readonly handle: (req: unknown, res: unknown, next: (error?: unknown) => void) => void
}

/** A module whose `configure` applies `middleware` to its path. */
function createMiddlewareModule(middleware: Middleware): new () => NestModule {
  class MiddlewareModule implements NestModule {
    configure(consumer: MiddlewareConsumer): void {
      consumer.apply(middleware.handle).forRoutes(middleware.path)
    }
  }
  Reflect.decorate([Module({})], MiddlewareModule)
  return MiddlewareModule
}

export interface RunningNest {
  readonly port: number
  readonly client: Client
  /** What the app's logger was given, in order. */
  readonly logs: LogLine[]
  /** On Fastify: what Fastify's own logger wrote at level warn and above, one JSON line each. */
  readonly fastifyLogs: string[]
  close(): Promise<void>
}

/** A stream that keeps each chunk written to it as a line of `lines`. */
function collect(lines: string[]): Writable {
  return new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk))
      callback()
    },
  })
}

function createRecorder(logs: LogLine[]): LoggerService {
  const record =
    (level: string) =>
    (message: unknown, ...params: unknown[]) => {
      logs.push({ level, message, params })
    }
  return {
    log: record('log'),
    error: record('error'),
    warn: record('warn'),
    debug: record('debug'),
    verbose: record('verbose'),
    fatal: record('fatal'),
  }
}

/**
 * A controller class with one method per route, in order, Nest's decorators applied by calling
 * them (the matrix's Nest apps are built with it too).
 *
 * @example
 * const controller = createController([{ path: '/missing', handle: () => { throw new NotFound() } }])
 */
export function createController(routes: readonly Route[]): new () => object {
  // eslint-disable-next-line @typescript-eslint/no-extraneous-class -- its methods come from `routes`
  class TestController {}
  const prototype = TestController.prototype as Record<string, unknown>
  routes.forEach((route, index) => {
    const key = `route${index}`
    prototype[key] = (argument?: unknown) => route.handle(argument)
    const descriptor = Object.getOwnPropertyDescriptor(prototype, key)
    const decorators: MethodDecorator[] = [
      methodDecorator(route),
      ...Object.entries(route.headers ?? {}).map(([name, value]) => Header(name, value)),
    ]
    Reflect.decorate(decorators, prototype, key, descriptor)
    const { param } = route
    if (param !== undefined) {
      param.decorator(prototype, key, 0)
      Reflect.defineMetadata('design:paramtypes', [param.type ?? Object], prototype, key)
    }
  })
  Reflect.decorate([Controller()], TestController)
  return TestController
}

function methodDecorator(route: Route): MethodDecorator {
  if (route.method === 'ALL') return All(route.path)
  return route.method === 'POST' ? Post(route.path) : Get(route.path)
}

/** The logger Nest's Logger delegates to, process-wide: saved and put back by `startNest`. */
const loggerStatics = Logger as unknown as { staticInstanceRef?: unknown }

/** Builds the app on `platform`, listens on an ephemeral port of 127.0.0.1. */
export async function startNest(platform: Platform, spec: NestSpec): Promise<RunningNest> {
  const logs: LogLine[] = []
  const fastifyLogs: string[] = []
  const savedLogger = loggerStatics.staticInstanceRef
  const moduleRef = await Test.createTestingModule({
    imports: spec.nestMiddleware === undefined ? [] : [createMiddlewareModule(spec.nestMiddleware)],
    controllers: [createController(spec.routes)],
    providers: [...(spec.providers ?? [])],
  }).compile()
  const adapter =
    platform === 'express'
      ? new ExpressAdapter()
      : new FastifyAdapter({ logger: { level: 'warn', stream: collect(fastifyLogs) } })
  // Nest declares its options as a class, yet takes (and documents) object literals.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-class-instance-assignment
  const app = moduleRef.createNestApplication(adapter, { logger: createRecorder(logs) })
  if (spec.helmet === true && platform === 'express') app.use(helmet())
  if (spec.helmet === true && platform === 'fastify') {
    await (app as NestFastifyApplication).register(fastifyHelmet)
  }
  if (spec.middleware !== undefined) app.use(spec.middleware.path, spec.middleware.handle)
  if (spec.filter !== undefined) app.useGlobalFilters(spec.filter())
  try {
    await app.listen(0, '127.0.0.1')
  } catch (error) {
    await app.close()
    loggerStatics.staticInstanceRef = savedLogger
    throw error
  }
  const { port } = (app.getHttpServer() as { address(): AddressInfo }).address()
  const client = createClient({ protocol: 'http1', port })
  return {
    port,
    client,
    logs,
    fastifyLogs,
    close: async () => {
      await client.close()
      await app.close()
      loggerStatics.staticInstanceRef = savedLogger
    },
  }
}

/** The lines the filter logged (context 'ErrorshapeFilter'), as `[level, message, ...params]`. */
export function filterLogs(logs: readonly LogLine[]): unknown[][] {
  return logs
    .filter((line) => line.params.at(-1) === 'ErrorshapeFilter')
    .map((line) => [line.level, line.message, ...line.params.slice(0, -1)])
}
