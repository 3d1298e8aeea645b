/**
 * DAT fixtures: real No-Intro/Redump names and hashes from `../shared/data/dat-roms.tsv.gz` when that file is
 * present (it stays outside the repository), generated ones otherwise; and writers for Logiqx XML and clrmamepro
 * text in the layouts the real DAT groups publish.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

export interface FixtureRom { name: string; size: number; crc: string; md5: string; sha1: string; status?: string; serial?: string }
export interface FixtureGame { name: string; cloneof?: string; category?: string; roms: FixtureRom[] }

const TSV = path.resolve(import.meta.dirname, '../../../shared/data/dat-roms.tsv.gz');

/** Up to `limit` games of `system` (a DAT system name such as `Nintendo - Game Boy`), in file order. */
export async function realGames(system: string, limit: number): Promise<FixtureGame[]> {
  if (!existsSync(TSV)) return generatedGames(system, limit);
  const games = new Map<string, FixtureGame>();
  const lines = createInterface({ input: createReadStream(TSV).pipe(createGunzip()), crlfDelay: Infinity });
  for await (const line of lines) {
    const [, sys, file, size, crc, md5, sha1, game] = line.split('\t');
    if (sys !== system || !file || !game) continue;
    let g = games.get(game);
    if (!g) {
      if (games.size >= limit) break;
      g = { name: game, roms: [] };
      games.set(game, g);
    }
    g.roms.push({ name: file, size: Number(size), crc: crc ?? '', md5: md5 ?? '', sha1: sha1 ?? '' });
  }
  lines.close();
  return games.size ? [...games.values()] : generatedGames(system, limit);
}

const hex = (s: string, alg: string, len: number) => createHash(alg).update(s).digest('hex').slice(0, len);

/** `n` games with No-Intro-like names and distinct hashes; every fourth is a clone of the game before it. */
export function generatedGames(system: string, n: number, romsPerGame = 1): FixtureGame[] {
  const regions = ['USA', 'Europe', 'Japan', 'World'];
  const out: FixtureGame[] = [];
  for (let i = 0; i < n; i++) {
    const name = `Game ${String(i).padStart(5, '0')} (${regions[i % 4]})${i % 7 === 0 ? ' (Rev 1)' : ''}`;
    const roms = Array.from({ length: romsPerGame }, (_, j) => {
      const key = `${system}/${i}/${j}`;
      return { name: romsPerGame > 1 ? `${name} (Track ${j + 1}).bin` : `${name}.bin`, size: 1024 * (i % 512 + 1), crc: hex(key, 'md5', 8), md5: hex(key, 'md5', 32), sha1: hex(key, 'sha1', 40) };
    });
    const parent = out[i - 1];
    out.push({ name, roms, ...(i % 4 === 3 && parent ? { cloneof: parent.name } : {}) });
  }
  return out;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A No-Intro/Redump style Logiqx datafile. */
export function logiqxDat(header: { name: string; description?: string; version?: string; skipper?: string }, games: FixtureGame[]): string {
  const out = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE datafile PUBLIC "-//Logiqx//DTD ROM Management Datafile//EN" "http://www.logiqx.com/Dats/datafile.dtd">',
    '<datafile>',
    '\t<header>',
    `\t\t<name>${esc(header.name)}</name>`,
    `\t\t<description>${esc(header.description ?? header.name)}</description>`,
    `\t\t<version>${esc(header.version ?? '20240101-000000')}</version>`,
    '\t\t<author>tester</author>',
    '\t\t<homepage>No-Intro</homepage>',
    '\t\t<url>https://www.no-intro.org</url>',
    header.skipper ? `\t\t<clrmamepro header="${esc(header.skipper)}" forcenodump="required"/>` : '\t\t<clrmamepro forcenodump="required"/>',
    '\t</header>',
  ];
  for (const g of games) {
    out.push(`\t<game name="${esc(g.name)}"${g.cloneof ? ` cloneof="${esc(g.cloneof)}"` : ''}>`);
    out.push(`\t\t<description>${esc(g.name)}</description>`);
    if (g.category) out.push(`\t\t<category>${esc(g.category)}</category>`);
    for (const r of g.roms) {
      const status = r.status ? ` status="${r.status}"` : '';
      const serial = r.serial ? ` serial="${esc(r.serial)}"` : '';
      out.push(`\t\t<rom name="${esc(r.name)}" size="${r.size}" crc="${r.crc.toUpperCase()}" md5="${r.md5}" sha1="${r.sha1.toUpperCase()}"${status}${serial}/>`);
    }
    out.push('\t</game>');
  }
  out.push('</datafile>', '');
  return out.join('\n');
}

const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

/** A clrmamepro text DAT as No-Intro's "standard DAT" download writes it. */
export function clrmameproDat(header: { name: string; description?: string; version?: string; skipper?: string }, games: FixtureGame[]): string {
  const out = [
    'clrmamepro (',
    `\tname ${q(header.name)}`,
    `\tdescription ${q(header.description ?? header.name)}`,
    `\tversion ${header.version ?? '20240101-000000'}`,
    '\tauthor "tester"',
    '\thomepage "No-Intro"',
    ...(header.skipper ? [`\theader ${q(header.skipper)}`] : []),
    ')',
    '',
  ];
  for (const g of games) {
    out.push('game (', `\tname ${q(g.name)}`, `\tdescription ${q(g.name)}`);
    if (g.cloneof) out.push(`\tcloneof ${q(g.cloneof)}`);
    for (const r of g.roms) {
      const flags = r.status ? ` flags ${r.status}` : '';
      out.push(`\trom ( name ${q(r.name)} size ${r.size} crc ${r.crc.toUpperCase()} md5 ${r.md5.toUpperCase()} sha1 ${r.sha1.toUpperCase()}${flags} )`);
    }
    out.push(')', '');
  }
  return out.join('\n');
}
