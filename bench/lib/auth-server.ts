import pino from 'pino';
import { buildApp } from '../../src/api/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { composeServices } from '../../src/compose.ts';
import { openBenchDatabase } from './bench-db.ts';

/**
 * A listening server in its own process for bench/auth.ts, so the load generator never shares an event loop with
 * the server it measures. Prints one JSON line (port and settings), then serves until SIGTERM.
 */
const [dir, name, envJson] = process.argv.slice(2) as [string, string, string];
const opened = await openBenchDatabase('sqlite', dir, name);
if (opened.skipped !== undefined) throw new Error(opened.skipped);
const config = { ...loadConfig({ DATA_PATH: dir, LIBRARY_PATH: dir, SCAN_ON_START: 'false', ...(JSON.parse(envJson) as Record<string, string>) }), database: opened.target };
const services = composeServices(config, opened.db, 'bench-secret-0123456789abcdef0123456789', pino({ level: 'silent' }));
const { app } = await buildApp({ config, db: opened.db, services });
await services.users.createFromCli({ username: 'owner', password: 'the-right-password', role: 'viewer' });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('no port');
process.stdout.write(`${JSON.stringify({
  port: address.port,
  bcrypt_cost: config.passwordHashCost,
  verify_concurrency: config.login.passwordVerifyConcurrency,
  verify_queue: config.login.passwordVerifyQueue,
  account_limit: config.login.loginMaxFailures,
  address_limit: config.login.addressMaxFailures,
})}\n`);
process.on('SIGTERM', () => {
  void app.close().then(() => opened.db.destroy()).then(() => process.exit(0));
});
