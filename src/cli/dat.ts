import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { DatVerifyRepository } from '../db/repositories/dat-verify-repository.ts';
import { DatsRepository } from '../db/repositories/dats-repository.ts';
import { DatImporter, type DatFolderResult } from '../domain/dats/dat-import.ts';
import { DatReports, type DatReport } from '../domain/dats/dat-reports.ts';
import { DatVerification, type DatVerificationResult } from '../domain/dats/dat-verification.ts';
import { AppError } from '../common/errors.ts';
import { verifyAfterScan } from '../compose/dat-verify.ts';
import { ensureWritableDir, explainAndExit, loadConfigOrExplain, openConfiguredDatabase } from '../startup.ts';

const USAGE = [
  'usage: romshelf dat import                       import new and changed DAT files of DATS_PATH, remove DATs whose file is gone, verify',
  '       romshelf dat verify                       compare the library with the DATs again (scans do this too)',
  '       romshelf dat report --platform SLUG [--csv | --fixdat]',
  '                                                 counts and missing games of a platform; --csv: the full CSV report;',
  '                                                 --fixdat: a Logiqx DAT of the missing games',
].join('\n');

/** A summary line per imported or failed file, then the totals. */
export function datSummary(r: DatFolderResult): string {
  const lines = r.imported.map((i) => `imported ${i.path}: ${i.games} games, ${i.roms} ROMs`);
  lines.push(...r.failed.map((f) => `failed ${f.path}: ${f.error}`));
  lines.push(`${r.imported.length} imported, ${r.unchanged} unchanged, ${r.removed} removed, ${r.failed.length} failed`);
  return lines.join('\n');
}

export function verifySummary(v: DatVerificationResult): string {
  const c = v.counts;
  return `verified ${v.roms} ROMs (${v.files} files) on ${v.platforms} platforms: ${c.verified} verified, ${c.renamed} renamed, ${c.bad_dump} bad dumps, ${c.unknown} unknown; ${v.changed} rows changed`;
}

/** The report as a person reads it: the DATs, the counts, then every missing game by name. */
export function reportText(r: DatReport): string {
  const c = r.counts;
  const lines = [
    `${r.platform_name} (${r.platform_slug}) against ${r.dats.map((d) => d.version ? `${d.name} (${d.version})` : d.name).join(', ')}`,
    `verified ${c.verified}, renamed ${c.renamed}, bad dumps ${c.bad_dump}, unknown ${c.unknown}, missing ${c.missing}`,
  ];
  if (r.missing_games.length) lines.push('', 'missing games:', ...r.missing_games.map((g) => `  ${g}`));
  return lines.join('\n');
}

type Sub = 'import' | 'verify' | 'report';

/** `romshelf dat …`: exit 0 on success, 1 when a DAT failed to import, 2 on bad usage or an unknown platform. */
export async function runDatCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '-h' || sub === '--help' || sub === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (sub !== 'import' && sub !== 'verify' && sub !== 'report') {
    console.error(USAGE);
    return 2;
  }
  let values: { platform?: string | undefined; csv?: boolean | undefined; fixdat?: boolean | undefined };
  try {
    const report = { platform: { type: 'string' as const }, csv: { type: 'boolean' as const }, fixdat: { type: 'boolean' as const } };
    ({ values } = sub === 'report' ? parseArgs({ args: rest, options: report, strict: true }) : parseArgs({ args: rest, options: {}, strict: true }));
  } catch (err) {
    console.error(`romshelf dat ${sub}: ${(err as Error).message}`);
    return 2;
  }
  if (sub === 'report' && (!values.platform || (values.csv && values.fixdat))) {
    console.error(USAGE);
    return 2;
  }
  try {
    const config = loadConfigOrExplain();
    await ensureWritableDir(config.dataPath, 'DATA_PATH');
    const db = await openConfiguredDatabase(config, (message) => console.error(`romshelf dat: warning: ${message}`));
    try {
      return await runSub(sub, values, db.kysely, config.dats.path);
    } finally {
      await db.destroy();
    }
  } catch (err) {
    return explainAndExit(err, `romshelf dat ${sub}`);
  }
}

async function runSub(sub: Sub, values: { platform?: string | undefined; csv?: boolean | undefined; fixdat?: boolean | undefined }, kysely: Kysely<Database>, datsPath: string): Promise<number> {
  const verifyRepo = new DatVerifyRepository(kysely);
  if (sub === 'import' || sub === 'verify') {
    let code = 0;
    const started = performance.now();
    if (sub === 'import') {
      const result = await new DatImporter(new DatsRepository(kysely), datsPath).syncFolder();
      console.log(datSummary(result));
      code = result.failed.length > 0 ? 1 : 0;
    }
    console.log(verifySummary(await verifyAfterScan(kysely, new DatVerification(verifyRepo))));
    console.log(`DATS_PATH ${datsPath}, ${Math.round(performance.now() - started)} ms`);
    return code;
  }
  // Reports never rename: the rename action lives in the API and web UI, with its dry run.
  const reports = new DatReports(verifyRepo, () => Promise.reject(new Error('not available here')));
  try {
    const platformId = await reports.platformId({ slug: values.platform ?? '' });
    if (values.csv || values.fixdat) {
      const { chunks } = values.csv ? await reports.csv(platformId) : await reports.fixdat(platformId);
      for await (const chunk of chunks) process.stdout.write(chunk);
      return 0;
    }
    console.log(reportText(await reports.report(platformId)));
    return 0;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    console.error(`romshelf dat report: ${err.message}`);
    return 2;
  }
}
