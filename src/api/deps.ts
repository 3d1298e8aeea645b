import type { FastifyBaseLogger, FastifyInstance, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Config } from '../config/config.ts';
import type { Db } from '../db/engine.ts';
import type { Services } from '../compose.ts';

export interface AppDeps {
  config: Config;
  db: Db;
  services: Services;
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** A group of routes for one resource; registered in routes/index.ts. */
export type RouteModule = (app: App, deps: AppDeps) => void | Promise<void>;
