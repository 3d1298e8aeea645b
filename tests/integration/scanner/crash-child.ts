import { openDatabase, type DatabaseTarget } from '../../../src/db/engine.ts';
import { settingsFromYaml } from '../../../src/scanner/scan-config.ts';
import { composeScanner } from '../../../src/compose/scanner.ts';

/** A scan in its own process, for the test that kills it with SIGKILL part-way. */
const [targetJson, libraryPath] = process.argv.slice(2) as [string, string];
const db = await openDatabase(JSON.parse(targetJson) as DatabaseTarget);
await composeScanner(db, libraryPath, { ...settingsFromYaml({}), hashWorkers: 1, batchSize: 10 })({}, { type: 'complete' });
await db.destroy();
