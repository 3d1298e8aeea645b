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
import { DeviceCodeRepository } from './db/repositories/device-code-repository.ts';
import { DeviceAuthService } from './auth/device-auth-service.ts';
import type { Config } from './config/config.ts';
import type { Db } from './db/engine.ts';
import { AuthRepository } from './db/repositories/auth-repository.ts';
import { CollectionsRepository } from './db/repositories/collections-repository.ts';
import { SmartCollectionsRepository } from './db/repositories/collections-smart-repository.ts';
import { VirtualCollectionsRepository } from './db/repositories/collections-virtual-repository.ts';
import { DownloadsRepository } from './db/repositories/downloads-repository.ts';
import { ExportRepository } from './db/repositories/export-repository.ts';
import { NotesRepository } from './db/repositories/notes-repository.ts';
import { PlatformsRepository } from './db/repositories/platforms-repository.ts';
import { RomEditRepository } from './db/repositories/rom-edit-repository.ts';
import { RomUserRepository } from './db/repositories/rom-user-repository.ts';
import { RomsReadRepository } from './db/repositories/roms-read-repository.ts';
import { ScanLockRepository } from './db/repositories/scan-lock-repository.ts';
import { StatsRepository } from './db/repositories/stats-repository.ts';
import { UsersAdminRepository } from './db/repositories/users-admin-repository.ts';
import { UsersRepository } from './db/repositories/users-repository.ts';
import { PermissionsRepository } from './db/repositories/permissions-repository.ts';
import { PermissionsResolver } from './auth/permissions-resolver.ts';
import { PermissionEvents } from './domain/permissions/permission-events.ts';
import { PermissionsService } from './domain/permissions/permissions-service.ts';
import { DevicesRepository } from './db/repositories/devices-repository.ts';
import { SavesRepository } from './db/repositories/saves-repository.ts';
import { AssetStore } from './domain/saves/asset-files.ts';
import { SavesService } from './domain/saves/saves-service.ts';
import { StatesService } from './domain/saves/states-service.ts';
import { ScreenshotsService } from './domain/saves/screenshots-service.ts';
import { ScreenshotsRepository } from './db/repositories/screenshots-repository.ts';
import { StatesRepository } from './db/repositories/states-repository.ts';
import { DevicesService } from './domain/devices/devices-service.ts';
import { PlaySessionsRepository } from './db/repositories/play-sessions-repository.ts';
import { PlaySessionsService } from './domain/play-sessions/play-sessions-service.ts';
import { SyncSessionsRepository } from './db/repositories/sync-sessions-repository.ts';
import { SyncService } from './domain/sync/sync-service.ts';
import { SyncEvents } from './domain/sync/sync-events.ts';
import { FileTransferSync } from './domain/sync/file-transfer.ts';
import { DEFAULT_SSH_TIMEOUTS, PushPullSync } from './domain/sync/push-pull.ts';
import { SyncFolderWatcher } from './jobs/sync-folder-watcher.ts';
import { parseCron, scheduleCron } from './common/cron.ts';
import { ActivityService } from './domain/play-sessions/activity-service.ts';
import { RomVisibilityRepository } from './db/repositories/rom-visibility-repository.ts';
import { RomVisibility } from './domain/roms/visibility.ts';
import { RomQueryCache } from './db/rom-query/cache.ts';
import { DEFAULT_REGION_PRIORITY } from './db/rom-query/group.ts';
import { RomQueryRepository } from './db/rom-query/rom-query-repository.ts';
import { CollectionsService } from './domain/collections/collections-service.ts';
import { DiskCollectionCovers } from './domain/collections/covers.ts';
import { SmartCollectionsService } from './domain/collections/smart-service.ts';
import { VirtualCollectionsService } from './domain/collections/virtual-service.ts';
import { DownloadsService } from './domain/downloads/downloads-service.ts';
import { ExportService } from './domain/export/export-service.ts';
import { LibraryFiles } from './domain/downloads/files.ts';
import { NotesService } from './domain/notes/notes-service.ts';
import { PatchService } from './domain/patch/patch-service.ts';
import { PlatformsService } from './domain/platforms/platforms-service.ts';
import { PlatformsWriteService } from './domain/platforms/platforms-write-service.ts';
import { RomDeleteService } from './domain/roms/delete-service.ts';
import { DEFAULT_MEDIA_LIMITS, RomMedia } from './domain/roms/edit-cover.ts';
import { RomEditService } from './domain/roms/edit-service.ts';
import { RomPropsService } from './domain/roms/props-service.ts';
import { RomsReadService } from './domain/roms/read-service.ts';
import { SmartSources } from './domain/collections/smart-sources.ts';
import { ResourceStore } from './domain/roms/resources.ts';
import { StatsService } from './domain/stats/stats-service.ts';
import { UsersAdminService } from './domain/users/users-admin-service.ts';
import { UsersService } from './domain/users/users-service.ts';
import { ScanManager, startBackgroundScans } from './jobs/scan-manager.ts';
import { loadScanSettings } from './scanner/scan-config.ts';
import { composeScanner } from './compose/scanner.ts';
import { FirmwareRepository } from './db/repositories/firmware-repository.ts';
import { DatsRepository } from './db/repositories/dats-repository.ts';
import { DatImporter } from './domain/dats/dat-import.ts';
import { DatsService } from './domain/dats/dats-service.ts';
import { DatVerifyRepository } from './db/repositories/dat-verify-repository.ts';
import { DatVerification } from './domain/dats/dat-verification.ts';
import { DatReports } from './domain/dats/dat-reports.ts';
import { verifyAfterScan } from './compose/dat-verify.ts';
import { FirmwareService, type HiddenLookup } from './domain/firmware/firmware-service.ts';
import { KnownBios } from './scanner/firmware/known-bios.ts';
import { metadataProviders, platformDirResolver, sgdbCoverClient, type MetadataWiring } from './compose/metadata.ts';
import { CoverSearchService } from './domain/metadata/cover-search.ts';
import { RomSearchService } from './domain/metadata/rom-search.ts';
import { RomRefreshQueue } from './jobs/rom-refresh.ts';
import type { MetadataProvider } from './metadata/types.ts';
import { MetadataRepository } from './db/repositories/metadata-repository.ts';
import { MetadataService } from './domain/metadata/metadata-service.ts';
import { loadMetadataSettings } from './metadata/settings.ts';
import { ConfigService } from './domain/system/config-service.ts';
import { SetupService } from './domain/system/setup-service.ts';

/** What a caller may add to the composition (tests register fake metadata providers this way). */
export interface ComposeOptions {
  /** Providers appended to the configured ones, seen by scans, search and the heartbeat alike. */
  extraMetadataProviders?: readonly MetadataProvider[];
  /** Admin hide lists seen by the firmware routes (tests pass a fake). */
  hiddenLookup?: HiddenLookup;
}

/**
 * The one composition root: every repository, service and job, built once from the configuration and database
 * and wired together. Repositories stay inside; routes, commands and benchmarks reach only the services.
 */
export function composeServices(config: Config, db: Db, authSecret: string, logger: Logger, options: ComposeOptions = {}) {
  const usersRepo = new UsersRepository(db.kysely);
  const authRepo = new AuthRepository(db.kysely);
  const throttle = new AuthThrottle(new AuthThrottleRepository(db.kysely), throttlePolicies(config.login));
  const passwordGate = new PasswordGate({ maxConcurrent: config.login.passwordVerifyConcurrency, maxQueued: config.login.passwordVerifyQueue });
  const permissionsRepo = new PermissionsRepository(db.kysely);
  const permissions = new PermissionsResolver(permissionsRepo, usersRepo);
  const permissionEvents = new PermissionEvents();
  const devicesRepo = new DevicesRepository(db.kysely);
  const auth = new AuthService(
    usersRepo, authRepo, new JwtSigner(authSecret), config, new PasswordChecker(usersRepo, throttle, passwordGate), permissions,
  );
  const downloadsRepo = new DownloadsRepository(db.kysely);
  const romQuery = new RomQueryRepository(db.kysely);
  const romEditRepo = new RomEditRepository(db);
  const playRepo = new PlaySessionsRepository(db);
  const syncRepo = new SyncSessionsRepository(db);

  const collectionsRepo = new CollectionsRepository(db);
  const configService = new ConfigService(config.scan.configFile, config.scan);
  // Hide lists (RomM 5) reach every ROM and platform read through this one source; admins hide nothing.
  const romVisibility = new RomVisibility(permissions, new RomVisibilityRepository(db.kysely));
  // config.yml's region priority picks each group's representative in lists (RomM's SCAN_REGION_PRIORITY).
  const userAssets = composeUserAssets(config, db, romVisibility, syncRepo);
  const playSessions = new PlaySessionsService(playRepo, devicesRepo, new RomUserRepository(db), romVisibility);
  const romsRead = new RomsReadService(
    romQuery, new RomsReadRepository(db.kysely), new RomQueryCache(db.kysely), new SmartSources(collectionsRepo), permissions,
    () => configService.regionPriority(),
    {
      forRom: async (userId, romId) => ({
        saves: await userAssets.saves.forRom(userId, romId),
        states: await userAssets.states.forRom(userId, romId),
        screenshots: await userAssets.screenshots.forRom(userId, romId),
        allSaves: await userAssets.saves.sharedForRom(userId, romId),
        allStates: await userAssets.states.sharedForRom(userId, romId),
        allScreenshots: await userAssets.screenshots.sharedGallery(userId, romId),
      }),
    },
  );
  const libraryFiles = new LibraryFiles(config.libraryPath, downloadsRepo, logger);
  const resources = new ResourceStore(config.dataPath);
  const collections = composeCollections(config, db, romQuery, collectionsRepo, romVisibility);
  const metadataSettings = loadMetadataSettings(config.scan.configFile);
  // One set of providers for scans, search and the heartbeat: they share rate limits and circuit breakers.
  const providers = [...metadataProviders(db, config.metadata, metadataSettings), ...(options.extraMetadataProviders ?? [])];
  const metadataWiring: MetadataWiring = {
    dataPath: config.dataPath, env: config.metadata, settings: metadataSettings, providers,
    load: () => configService.metadataSettings(),
  };
  // Each scan reads config.yml when it starts; the platform listings keep the settings the last read found.
  let scanSettings = loadScanSettings(config.scan);
  const readScanSettings = async () => (scanSettings = await configService.scanSettings());
  configService.onChange(() => void readScanSettings().catch((err: unknown) => logger.warn({ err }, 'config.yml could not be read')));
  const platformsRepo = new PlatformsRepository(db.kysely);
  const firmwareRepo = new FirmwareRepository(db.kysely);
  // One copy of the known-BIOS lists for scans and uploads, reloaded when its files change.
  const knownBios = new KnownBios(config.scan.knownBiosPath, {
    info: (msg) => logger.info(msg), warn: (msg) => logger.warn(msg),
  });
  const hidden: HiddenLookup = options.hiddenLookup ?? permissions;
  const datVerification = new DatVerification(new DatVerifyRepository(db.kysely), (err) => logger.warn({ err }, 'DAT verification failed'));
  const datImporter = new DatImporter(new DatsRepository(db.kysely), config.dats.path, { warn: (msg) => logger.warn(msg) });
  const runScan = composeScanner(db, config.libraryPath, readScanSettings, metadataWiring, knownBios);
  const scans = new ScanManager({
    // DATS_PATH is synced as each scan starts; a DAT problem is logged and never stops the scan.
    run: async (hooks, options) => {
      await datImporter.syncFolder().catch((err: unknown) => logger.warn({ err }, 'DAT import failed'));
      const result = await runScan(hooks, options);
      // Verification reads only stored hashes: it follows every scan, and a failure never fails the scan.
      if (!result.cancelled) {
        await verifyAfterScan(db.kysely, datVerification).then(
          (v) => logger.info({ platforms: v.platforms, roms: v.roms, changed: v.changed, ...v.counts }, 'DAT verification done'),
          (err: unknown) => logger.warn({ err }, 'DAT verification failed'),
        );
      }
      return result;
    },
    lock: new ScanLockRepository(db.kysely),
    onIssue: (issue) => logger.warn(issue, 'scan problem'),
  });
  // A scan adds, removes and re-tags ROMs: smart collections' cached membership follows.
  scans.on('done', () => collections.smart.scheduleRefresh());
  const mediaLimits = { ...DEFAULT_MEDIA_LIMITS, fetch: { ...DEFAULT_MEDIA_LIMITS.fetch } };
  const romEdit = new RomEditService(romEditRepo, new RomMedia(resources, mediaLimits, logger), config.libraryPath, logger);
  const metadataRepo = new MetadataRepository(db.kysely);
  const metadata = new MetadataService(metadataRepo, providers);
  const users = new UsersService(usersRepo, config.passwordHashCost, permissionsRepo, permissions);
  const platforms = new PlatformsService(platformsRepo, config.libraryPath, () => scanSettings, permissions, firmwareRepo);
  const transports = composeSyncTransports(config, syncRepo, devicesRepo, userAssets.saves, romVisibility, logger);

  return {
    users: users,
    auth,
    passwordGate,
    clientTokens: new ClientTokenService(authRepo, throttle),
    deviceAuth: new DeviceAuthService(new DeviceCodeRepository(db.kysely), authRepo, throttle),
    csrf: new CsrfGuard(authSecret),
    stats: new StatsService(new StatsRepository(db.kysely), permissions),
    usersAdmin: new UsersAdminService(
      usersRepo, new UsersAdminRepository(db.kysely), config.passwordHashCost, auth, (role) => users.groupFor(role),
      (userId) => permissionEvents.changed([userId]),
    ),
    permissions,
    permissionEvents,
    permissionsAdmin: new PermissionsService(permissionsRepo, usersRepo, permissionEvents),
    devices: new DevicesService(devicesRepo, { syncRoot: config.sync.root }),
    romVisibility,
    playSessions,
    sync: new SyncService(syncRepo, devicesRepo, playSessions, romVisibility, transports.pushPull),
    ...transports,
    activity: new ActivityService(playRepo, devicesRepo, romVisibility, (userId, romId) => userAssets.saves.latestScreenshotPath(userId, romId)),
    saves: userAssets.saves,
    states: userAssets.states,
    screenshots: userAssets.screenshots,
    assetFiles: userAssets.store,
    romsRead,
    metadata,
    romSearch: new RomSearchService({
      repo: metadataRepo, providers, priority: metadataSettings.metadataPriority,
      platformDir: platformDirResolver(config.libraryPath, scanSettings),
      onProviderError: (source, err) => logger.warn({ err, source }, 'metadata search failed'),
      visibility: romVisibility,
    }),
    romRefresh: new RomRefreshQueue({
      scans, availableSources: () => metadata.availableSources(),
      log: (msg, err) => logger.warn({ err }, msg),
    }),
    coverSearch: new CoverSearchService(sgdbCoverClient(providers)),
    collections,
    resources,
    romEdit,
    romProps: new RomPropsService(romEditRepo, new RomUserRepository(db), romVisibility),
    romDelete: new RomDeleteService(romEditRepo, resources, config.libraryPath, logger, romVisibility),
    notes: new NotesService(romEditRepo, new NotesRepository(db), romVisibility),
    downloads: new DownloadsService(downloadsRepo, libraryFiles, romsRead, romVisibility),
    patcher: new PatchService(downloadsRepo, libraryFiles, {
      maxFileSizeBytes: config.romPatcherMaxFileSizeBytes,
      maxConcurrency: config.romPatcherMaxConcurrency,
      timeoutSeconds: config.romPatcherTimeoutSeconds,
      tempRoot: path.join(config.dataPath, 'tmp'),
    }, logger, romVisibility),
    platforms,
    platformsWrite: new PlatformsWriteService(platformsRepo, config.libraryPath, () => scanSettings, firmwareRepo),
    firmware: new FirmwareService({
      repo: firmwareRepo, files: libraryFiles, libraryPath: config.libraryPath, settings: () => scanSettings, knownBios,
      hidden, maxUploadBytes: config.firmwareMaxUploadBytes,
    }),
    dats: new DatsService({
      repo: new DatsRepository(db.kysely), importer: datImporter, hidden, tempDir: path.join(config.dataPath, 'tmp'),
      maxUploadBytes: config.dats.maxUploadBytes,
    }),
    datVerification,
    // The DAT rename is PUT /api/roms/{id}'s rename: disk and database move together or not at all.
    datReports: new DatReports(new DatVerifyRepository(db.kysely), async (romId, fsName) => {
      await romEdit.edit(romId, { fields: new Map([['fs_name', fsName]]), artwork: null, removeCover: false, unmatchMetadata: false });
    }),
    config: configService,
    setup: new SetupService({
      libraryPath: config.libraryPath, settings: () => configService.scanSettings(),
      setupRequired: () => users.setupRequired(), platforms: () => platforms.list(), supported: () => platforms.supported(),
    }),
    exports: new ExportService(new ExportRepository(db.kysely), resources.root, config.libraryPath, logger),
    scans,
  };
}

export type Services = ReturnType<typeof composeServices>;

/** Upload temporary files older than this at start-up were left by a crash (a live upload keeps writing to its own). */
const UPLOAD_TEMP_MAX_AGE_MS = 5 * 60_000;

/**
 * The server's background work: a start-up sweep of upload temporary files a crash left, hourly session cleanup and
 * the periodic library scans.
 */
export function startBackgroundJobs(services: Services, config: Config, logger: Logger): { stop(): void } {
  void services.assetFiles.sweepTemps(UPLOAD_TEMP_MAX_AGE_MS).then(
    (removed) => logger[removed > 0 ? 'info' : 'debug']({ removed }, 'removed leftover upload temporary files'),
    (err: unknown) => logger.warn({ err }, 'sweep of upload temporary files failed'),
  );
  // A crash between a save's rename and its row update leaves the row describing the replaced content.
  void (async () => {
    const saves = await services.saves.reconcileFiles();
    const states = await services.states.reconcileFiles();
    logger[saves + states > 0 ? 'warn' : 'debug']({ saves, states }, 'rows corrected to match files a crash left newer');
  })().catch((err: unknown) => logger.warn({ err }, 'start-up check of save and state files failed'));
  const purge = () => services.auth.purgeExpired().catch((err: unknown) => logger.warn({ err }, 'session cleanup failed'));
  void purge();
  const purgeTimer = setInterval(() => void purge(), 3600_000);
  purgeTimer.unref();
  // New files are picked up by a periodic quick scan (an unchanged library costs about a second), which, unlike a
  // file watcher, also sees changes made on network shares by other machines.
  const scans = startBackgroundScans(services.scans, {
    scanOnStart: config.scan.onStart,
    intervalSeconds: config.scan.intervalSeconds,
    log: (msg, err) => logger.error({ err }, msg),
  });
  // RomM's sync folder watcher and periodic push-pull, each off unless enabled.
  const watcher = config.sync.folderWatcher
    ? new SyncFolderWatcher(services.syncFolder, {
      quietMs: config.sync.folderScanDelayMinutes * 60_000, onError: (err) => logger.warn({ err }, 'sync folder watcher failed'),
    })
    : null;
  watcher?.start().catch((err: unknown) => logger.error({ err }, 'sync folder watcher could not start'));
  const pushPull = config.sync.pushPull
    ? scheduleCron(parseCron(config.sync.pushPullCron), () => services.pushPull.runAll(), (err) => logger.error({ err }, 'periodic push-pull failed'))
    : null;
  return {
    stop: () => {
      clearInterval(purgeTimer);
      scans.stop();
      void watcher?.stop();
      pushPull?.stop();
    },
  };
}

/** RomM 5's save-sync transports: the sync folder (file transfer) and push-pull over SSH, with their socket events. */
function composeSyncTransports(
  config: Config, syncRepo: SyncSessionsRepository, devicesRepo: DevicesRepository, saves: SavesService, romVisibility: RomVisibility,
  logger: Logger,
) {
  const syncEvents = new SyncEvents();
  const shared = { repo: syncRepo, saves, visibility: romVisibility, events: syncEvents, log: logger };
  const syncFolder = new FileTransferSync(shared, {
    root: config.sync.root, enabled: config.sync.folderWatcher, maxBytes: config.assets.maxUploadBytes,
  });
  const pushPull = new PushPullSync({ ...shared, devices: devicesRepo }, {
    enabled: config.sync.pushPull, keysPath: config.sync.sshKeysPath, knownHostsPath: config.sync.sshKnownHostsPath,
    tempDir: path.join(config.sync.root, '.romshelf-tmp'), maxBytes: config.assets.maxUploadBytes, timeouts: DEFAULT_SSH_TIMEOUTS,
  });
  return { syncEvents, syncFolder, pushPull };
}

/** Saves, states and screenshots under `DATA_PATH/assets`, sharing one store, ROM lookup and quota. */
function composeUserAssets(config: Config, db: Db, romVisibility: RomVisibility, syncRepo: SyncSessionsRepository) {
  const shared = new SavesRepository(db);
  const statesRepo = new StatesRepository(db);
  const shots = new ScreenshotsRepository(db);
  const store = new AssetStore(path.join(config.dataPath, 'assets'));
  const romUser = new RomUserRepository(db);
  const limits = config.assets;
  // An upload or download naming a sync session counts towards it; a failure there never fails the transfer (RomM).
  const syncSessions = {
    countOperation: (userId: number, sessionId: number) => syncRepo.incrementCompleted(userId, sessionId, Date.now()).catch(() => undefined),
  };
  const saves = new SavesService({ repo: shared, shots, store, visibility: romVisibility, romUser, limits, syncSessions });
  const states = new StatesService({ repo: statesRepo, shared, shots, store, visibility: romVisibility, romUser, limits });
  const screenshots = new ScreenshotsService({ repo: shots, shared, store, visibility: romVisibility, limits });
  return { saves, states, screenshots, store };
}

/** Regular, smart and virtual collections; smart ones follow regular membership changes. */
function composeCollections(
  config: Config, db: Db, romQuery: RomQueryRepository, collectionsRepo: CollectionsRepository, romVisibility: RomVisibility,
) {
  const regular = new CollectionsService(collectionsRepo, new DiskCollectionCovers(path.join(config.dataPath, 'resources')), romVisibility);
  const smart = new SmartCollectionsService(
    new SmartCollectionsRepository(db),
    romQuery,
    regular,
    (userId) => ({ userId, regionPriority: DEFAULT_REGION_PRIORITY }),
    romVisibility,
  );
  regular.onMembershipChange((c) => smart.refreshForCollection(c));
  return { regular, smart, virtual: new VirtualCollectionsService(new VirtualCollectionsRepository(db), romVisibility) };
}
