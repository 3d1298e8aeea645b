import { AppError } from '../common/errors.ts';
import { parseArgs } from 'node:util';
import { composeScanner } from '../compose/scanner.ts';
import { DatsRepository } from '../db/repositories/dats-repository.ts';
import { DatImporter } from '../domain/dats/dat-import.ts';
import { verifyAfterScan } from '../compose/dat-verify.ts';
import { verifySummary } from './dat.ts';
import { loadScanSettings } from '../scanner/scan-config.ts';
import { KnownBios } from '../scanner/firmware/known-bios.ts';
import { loadMetadataSettings } from '../metadata/settings.ts';
import { isSourceId, SOURCE_IDS } from '../metadata/types.ts';
import { SCAN_TYPES, type ScanProgress, type ScanResult, type ScanType } from '../scanner/types.ts';
import { ensureWritableDir, explainAndExit, loadConfigOrExplain, openConfiguredDatabase } from '../startup.ts';

const USAGE = [
  'usage: romshelf scan [--type quick|update|unmatched|complete|hashes|new_platforms] [--platform FS_SLUG]...',
  '                     [--metadata gamelist,launchbox,libretro | --metadata none]',
  '  --metadata  metadata sources for this scan (default: every configured local source; none: files only)',
].join('\n');

/** `romshelf scan`: a progress bar on a terminal, plain progress lines otherwise, a summary at the end. */
export async function runScanCommand(argv: string[]): Promise<number> {
  let type: ScanType;
  let platforms: string[];
  let metadataSources: string[] | undefined;
  try {
    const { values } = parseArgs({
      args: argv,
      options: {
        type: { type: 'string', default: 'quick' }, platform: { type: 'string', multiple: true },
        metadata: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) { console.log(USAGE); return 0; }
    const typeName = values.type === 'unidentified' ? 'unmatched' : values.type;
    if (!SCAN_TYPES.includes(typeName as ScanType)) throw new Error(`unknown scan type '${values.type}'`);
    type = typeName as ScanType;
    platforms = values.platform ?? [];
    metadataSources = parseMetadataOption(values.metadata);
  } catch (err) {
    console.error(`romshelf scan: ${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  try {
    const config = loadConfigOrExplain();
    await ensureWritableDir(config.dataPath, 'DATA_PATH');
    const settings = loadScanSettings(config.scan);
    const db = await openConfiguredDatabase(config, (message) => console.error(`romshelf scan: warning: ${message}`));
    const controller = new AbortController();
    const onSignal = () => controller.abort();
    process.once('SIGINT', onSignal);
    const progress = new ProgressPrinter(process.stderr.isTTY === true);
    try {
      const knownBios = new KnownBios(config.scan.knownBiosPath, {
        info: (msg) => progress.line(msg), warn: (msg) => progress.line(`warning: ${msg}`),
      });
      // DATS_PATH is synced first, as the server does at each scan start; a DAT problem never stops the scan.
      const dats = await new DatImporter(new DatsRepository(db.kysely), config.dats.path, { warn: (msg) => progress.line(`warning: ${msg}`) })
        .syncFolder().catch((err: unknown) => {
          progress.line(`warning: DAT import failed: ${(err as Error).message}`);
          return null;
        });
      if (dats && dats.imported.length + dats.removed > 0) progress.line(`DATs: ${dats.imported.length} imported, ${dats.removed} removed`);
      const scan = composeScanner(db, config.libraryPath, settings, {
        dataPath: config.dataPath, env: config.metadata, settings: loadMetadataSettings(config.scan.configFile),
      }, knownBios);
      const result = await scan({
        onIssue: (i) => progress.line(`warning: ${i.kind}: ${i.path}: ${i.message}`),
        onProgress: (p) => progress.update(p),
      }, { type, platformFsSlugs: platforms, signal: controller.signal, ...(metadataSources ? { metadataSources } : {}) });
      progress.done();
      console.log(summary(result));
      if (!result.cancelled) {
        await verifyAfterScan(db.kysely).then(
          (v) => { if (v.platforms > 0) console.log(verifySummary(v)); },
          (err: unknown) => console.error(`romshelf scan: warning: DAT verification failed: ${(err as Error).message}`),
        );
      }
      return result.cancelled ? 130 : 0;
    } finally {
      process.off('SIGINT', onSignal);
      await db.destroy();
    }
  } catch (err) {
    if (err instanceof AppError) {
      console.error(`romshelf scan: ${err.detail}`);
      return 1;
    }
    return explainAndExit(err, 'romshelf scan');
  }
}

/** `--metadata a,b --metadata c` → [a, b, c]; `none` → []; unknown names are an error. */
function parseMetadataOption(values: string[] | undefined): string[] | undefined {
  if (!values) return undefined;
  const names = values.flatMap((v) => v.split(',')).map((v) => v.trim().toLowerCase()).filter(Boolean);
  if (names.length === 1 && names[0] === 'none') return [];
  const unknown = names.filter((n) => !isSourceId(n));
  if (unknown.length > 0) throw new Error(`unknown metadata source '${unknown.join("', '")}' (known: ${SOURCE_IDS.join(', ')}, none)`);
  return names;
}

class ProgressPrinter {
  private lastLine = 0;
  private drawn = false;

  constructor(private readonly tty: boolean) {}

  update(p: ScanProgress): void {
    if (p.phase === 'metadata') return this.metadata(p);
    const s = p.stats;
    const total = Math.max(s.total_roms, 1);
    if (this.tty) {
      const width = 30;
      const filled = Math.min(width, Math.round((s.scanned_roms / total) * width));
      const bar = `${'#'.repeat(filled)}${'-'.repeat(width - filled)}`;
      process.stderr.write(`\r[${bar}] ${s.scanned_roms}/${s.total_roms} ROMs  ${p.platform ?? ''}`.padEnd(100).slice(0, 100));
      this.drawn = true;
    } else if (Date.now() - this.lastLine >= 2000) {
      this.lastLine = Date.now();
      process.stderr.write(`scan: ${s.scanned_roms}/${s.total_roms} ROMs, ${s.scanned_platforms}/${s.total_platforms} platforms${p.platform ? ` (${p.platform})` : ''}\n`);
    }
  }

  private metadata(p: ScanProgress): void {
    const s = p.stats;
    if (this.tty) {
      const width = 30;
      const filled = Math.min(width, Math.round((s.metadata_done / Math.max(s.metadata_total, 1)) * width));
      process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] metadata ${s.metadata_done}/${s.metadata_total}  ${p.platform ?? ''}`.padEnd(100).slice(0, 100));
      this.drawn = true;
    } else if (Date.now() - this.lastLine >= 2000) {
      this.lastLine = Date.now();
      process.stderr.write(`metadata: ${s.metadata_done}/${s.metadata_total} ROMs, ${s.identified_roms} identified${p.platform ? ` (${p.platform})` : ''}\n`);
    }
  }

  line(text: string): void {
    if (this.drawn) { process.stderr.write('\n'); this.drawn = false; }
    process.stderr.write(`${text}\n`);
  }

  done(): void {
    if (this.drawn) process.stderr.write('\n');
  }
}

export function summary(r: ScanResult): string {
  const s = r.stats;
  const mib = (s.hashed_bytes / 1024 / 1024).toFixed(1);
  return [
    `${r.cancelled ? 'Scan cancelled' : 'Scan finished'} (${r.type}) in ${(r.durationMs / 1000).toFixed(1)} s`,
    `  platforms: ${s.scanned_platforms} scanned, ${s.new_platforms} new, ${s.missing_platforms} missing`,
    `  roms:      ${s.total_roms} found, ${s.new_roms} new, ${s.updated_roms} updated, ${s.reassociated_roms} moved, ${s.unchanged_roms} unchanged, ${s.missing_roms} missing`,
    `  firmware:  ${s.scanned_firmware} found, ${s.new_firmware} new`,
    `  hashed:    ${s.hashed_files} files, ${mib} MiB`,
    `  metadata:  ${s.metadata_done}/${s.metadata_total} ROMs, ${s.identified_roms} identified${'metadata' in r && r.metadata ? ` (sources: ${(r.metadata as { sources: string[] }).sources.join(', ') || 'none'})` : ''}`,
    ...perSourceLines(r),
    `  problems:  ${s.errors}${Object.keys(r.issueCounts).length ? ` (${Object.entries(r.issueCounts).map(([k, v]) => `${k} ${v}`).join(', ')})` : ''}`,
  ].join('\n');
}

/** One line per metadata source: matched, unmatched and failed lookups. */
function perSourceLines(r: ScanResult): string[] {
  const meta = (r as { metadata?: { perSource?: Record<string, { matched: number; unmatched: number; errors: number }> } | null }).metadata;
  return Object.entries(meta?.perSource ?? {}).map(([source, c]) =>
    `    ${source.padEnd(10)} ${c.matched} matched, ${c.unmatched} unmatched, ${c.errors} errors`);
}
