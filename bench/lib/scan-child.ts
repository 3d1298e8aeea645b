import { composeScanner } from '../../src/compose/scanner.ts';
import { openDatabase } from '../../src/db/engine.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';
import { settingsFromYaml } from '../../src/scanner/scan-config.ts';
import type { ScanType } from '../../src/scanner/types.ts';

/** Runs one scan in its own process so its peak memory (maxRSS, workers included) is measured alone. */
const [libraryPath, dbFile, type] = process.argv.slice(2) as [string, string, ScanType];
const db = await openDatabase({ engine: 'sqlite', location: dbFile });
await migrateToLatest(db);
const started = performance.now();
const result = await composeScanner(db, libraryPath, settingsFromYaml({}, process.env))({}, { type });
const seconds = (performance.now() - started) / 1000;
await db.destroy();
const mem = process.memoryUsage();
process.stdout.write(JSON.stringify({ seconds, maxRssMiB: process.resourceUsage().maxRSS / 1024, heapMiB: mem.heapUsed / 1048576, externalMiB: mem.external / 1048576, stats: result.stats }));
