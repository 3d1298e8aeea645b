import path from 'node:path';
import type { Logger } from 'pino';
import { AuthService } from './auth/auth-service.ts';
import { ClientTokenService } from './auth/client-token-service.ts';
import { CsrfGuard } from './auth/csrf.ts';
import { JwtSigner } from './auth/tokens.ts';
import { PasswordChecker } from './auth/password-checker.ts';
import { PasswordGate } from './auth/password-gate.ts';
import { AuthThrottle } from './auth/throttle.ts';
import { throttlePolicies } from './auth/throttle-policies.ts';
import { AuthThrottleRepository } from './db/repositories/auth-throttle-repository.ts';
import type { Config } from './config/config.ts';
import type { Db } from './db/engine.ts';
import { AuthRepository } from './db/repositories/auth-repository.ts';
import { DownloadsRepository } from './db/repositories/downloads-repository.ts';
import { UsersRepository } from './db/repositories/users-repository.ts';
import { DownloadsService } from './domain/downloads/downloads-service.ts';
import { PatchService } from './domain/patch/patch-service.ts';
import { createCollectionsServices } from './domain/collections-services.ts';
import { RomsReadService } from './domain/roms/read-service.ts';
import { UsersService } from './domain/users/users-service.ts';
import { createRomWriteServices } from './domain/rom-edit-services.ts';
import { createPlatformsService } from './domain/platforms/platforms-service.ts';
import { createScanManager } from './jobs/scan-manager.ts';
import { StatsService } from './domain/stats/stats-service.ts';
import { UsersAdminService } from './domain/users/users-admin-service.ts';
import { UsersAdminRepository } from './db/repositories/users-admin-repository.ts';

/** Every use case, built once from the configuration and database; routes reach them as deps.services. */
export function createServices(config: Config, db: Db, authSecret: string, logger: Logger) {
  const usersRepo = new UsersRepository(db.kysely);
  const authRepo = new AuthRepository(db.kysely);
  const throttle = new AuthThrottle(new AuthThrottleRepository(db.kysely), throttlePolicies(config));
  const passwordGate = new PasswordGate({ maxConcurrent: config.passwordVerifyConcurrency, maxQueued: config.passwordVerifyQueue });
  const auth = new AuthService(usersRepo, authRepo, new JwtSigner(authSecret), config, new PasswordChecker(usersRepo, throttle, passwordGate));
  const romsRead = new RomsReadService(db);
  const downloadsRepo = new DownloadsRepository(db.kysely);
  const downloads = new DownloadsService(downloadsRepo, config.libraryPath, logger, romsRead);
  const collections = createCollectionsServices(db, config);
  const scans = createScanManager(config, db, (issue) => logger.warn(issue, 'scan problem'));
  // A scan adds, removes and re-tags ROMs: smart collections' cached membership follows.
  scans.on('done', () => collections.smart.scheduleRefresh());
  return {
    users: new UsersService(usersRepo, config.passwordHashCost),
    usersRepo,
    auth,
    authRepo,
    throttle,
    passwordGate,
    clientTokens: new ClientTokenService(authRepo, throttle),
    csrf: new CsrfGuard(authSecret),
    stats: new StatsService(db),
    usersAdmin: new UsersAdminService(usersRepo, new UsersAdminRepository(db.kysely), config.passwordHashCost, auth),
    romsRead,
    collections,
    ...createRomWriteServices(config, db, logger),
    downloads,
    patcher: new PatchService(downloadsRepo, downloads.files, {
      maxFileSizeBytes: config.romPatcherMaxFileSizeBytes,
      maxConcurrency: config.romPatcherMaxConcurrency,
      timeoutSeconds: config.romPatcherTimeoutSeconds,
      tempRoot: path.join(config.dataPath, 'tmp'),
    }, logger),
    platforms: createPlatformsService(db.kysely),
    scans,
  };
}

export type Services = ReturnType<typeof createServices>;
