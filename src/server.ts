import pino from 'pino';
import { buildApp } from './api/app.ts';
import { resolveAuthSecret } from './auth/secret.ts';
import { ensureWritableDir, loadConfigOrExplain, openConfiguredDatabase, StartupError } from './startup.ts';
import { composeServices, startBackgroundJobs } from './compose.ts';

/** The server process: configuration, database, services and jobs (from compose.ts), HTTP server, shutdown. */
export async function startServer(): Promise<void> {
  const config = loadConfigOrExplain();
  const logger = pino({ level: config.logLevel });
  await ensureWritableDir(config.dataPath, 'DATA_PATH');
  await ensureWritableDir(config.libraryPath, 'LIBRARY_PATH');
  const db = await openConfiguredDatabase(config, (message) => logger.warn(message));
  const services = composeServices(config, db, await resolveAuthSecret(config.authSecret, config.dataPath), logger);
  const { app } = await buildApp({ config, db, services }, logger);

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    await db.destroy();
    const code = (err as NodeJS.ErrnoException).code;
    throw new StartupError(
      `cannot listen on ${config.host}:${config.port} (${code ?? String(err)}): set PORT or HOST to a free address`,
    );
  }
  logger.info({ engine: db.engine, library: config.libraryPath, data: config.dataPath }, 'romshelf is ready');

  const jobs = startBackgroundJobs(services, config, logger);

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    // A stuck connection must not keep the process alive forever.
    setTimeout(() => process.exit(1), 10_000).unref();
    void (async () => {
      jobs.stop();
      // A cancelled scan stops between ROMs; let its last batch commit before the database closes.
      await services.scans.done()?.catch(() => undefined);
      await app.close();
      await db.destroy();
      process.exit(0);
    })();
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}
