import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import pino from 'pino';
import { buildApp } from '../../src/api/app.ts';
import type { App } from '../../src/api/deps.ts';
import type { RegisteredRoute } from '../../src/api/plugins/auth.ts';
import { type Config, loadConfig } from '../../src/config/config.ts';
import type { UserRow } from '../../src/db/repositories/users-repository.ts';
import { composeServices, type ComposeOptions, type Services } from '../../src/compose.ts';
import type { TestDb } from './engines.ts';

export interface TestApp {
  app: App;
  routes: RegisteredRoute[];
  services: Services;
  config: Config;
}

export const TEST_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';

/** An app on the test database, with its own DATA_PATH and LIBRARY_PATH inside the test's scratch dir. */
export async function createTestApp(
  t: TestDb, env: Record<string, string> = {}, overrides: Partial<Config> = {}, compose: ComposeOptions = {},
): Promise<TestApp> {
  const dataPath = path.join(t.dir, 'data');
  const libraryPath = path.join(t.dir, 'library');
  await mkdir(dataPath, { recursive: true });
  await mkdir(libraryPath, { recursive: true });
  const config: Config = {
    // LIBRETRO_API_ENABLED defaults to on (RomM's default): tests never reach the real thumbnail server.
    ...loadConfig({ DATA_PATH: dataPath, LIBRARY_PATH: libraryPath, PASSWORD_HASH_COST: '4', SCAN_ON_START: 'false', LIBRETRO_API_ENABLED: 'false', ...env }),
    database: t.target,
    ...overrides,
  };
  const services = composeServices(config, t.db, TEST_SECRET, pino({ level: 'silent' }), compose);
  const { app, routes } = await buildApp({ config, db: t.db, services });
  return { app, routes, services, config };
}

export interface TestUser {
  user: UserRow;
  password: string;
  /** `Authorization` header value for HTTP Basic. */
  basic: string;
}

let counter = 0;

/** `viewer` and `editor` are `user`s in the matching legacy permission group, as the CLI creates them. */
export type TestRole = 'admin' | 'editor' | 'viewer' | 'user';

export async function createUser(services: Services, role: TestRole, username = `${role}${++counter}`): Promise<TestUser> {
  const password = `pw-${username}-secret`;
  const user = await services.users.createFromCli({ username, password, role });
  return { user, password, basic: basicHeader(username, password) };
}

export const basicHeader = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** Cookie header value from a response's set-cookie headers. */
export function cookiesFrom(headers: Record<string, unknown>): Record<string, string> {
  const raw = headers['set-cookie'];
  const list = Array.isArray(raw) ? (raw as string[]) : typeof raw === 'string' ? [raw] : [];
  const out: Record<string, string> = {};
  for (const line of list) {
    const [pair] = line.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (pair && eq > 0) out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}
