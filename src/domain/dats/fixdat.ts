import { xmlAttr, xmlText } from '../../metadata/xml-escape.ts';

/**
 * A fixdat: a Logiqx XML DAT of what a library misses, in the layout clrmamepro, RomVault and igir read, so those
 * tools can fetch exactly the missing games. Written as a stream of chunks: a DAT of tens of thousands of games never
 * sits in memory as one string.
 */

export interface FixdatHeader {
  /** The source DAT's name; the fixdat is named after it. */
  datName: string;
  datVersion?: string | null;
  /** The library's platform, for the description. */
  platformName: string;
  date: Date;
}

export interface FixdatRom {
  name: string;
  size: number | null;
  crc: string | null;
  md5: string | null;
  sha1: string | null;
}

export interface FixdatGame {
  name: string;
  description?: string | null;
  cloneOf?: string | null;
  roms: readonly FixdatRom[];
}

const DOCTYPE = '<!DOCTYPE datafile PUBLIC "-//Logiqx//DTD ROM Management Datafile//EN" "http://www.logiqx.com/Dats/datafile.dtd">';

/** The XML declaration, doctype and header. */
export function fixdatHead(header: FixdatHeader): string {
  const day = header.date.toISOString().slice(0, 10);
  const version = header.datVersion ? ` (${header.datVersion})` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n${DOCTYPE}\n<datafile>\n\t<header>\n`
    + `\t\t<name>${xmlText(`fixdat_${header.datName}`)}</name>\n`
    + `\t\t<description>${xmlText(`Missing from ${header.platformName}: ${header.datName}${version}`)}</description>\n`
    + `\t\t<version>${day}</version>\n\t\t<date>${day}</date>\n\t\t<author>romshelf</author>\n\t</header>\n`;
}

export function fixdatGame(game: FixdatGame): string {
  const clone = game.cloneOf ? ` cloneof="${xmlAttr(game.cloneOf)}"` : '';
  let out = `\t<game name="${xmlAttr(game.name)}"${clone}>\n\t\t<description>${xmlText(game.description || game.name)}</description>\n`;
  for (const rom of game.roms) out += `\t\t<rom${romAttrs(rom)}/>\n`;
  return `${out}\t</game>\n`;
}

export const FIXDAT_TAIL = '</datafile>\n';

export function* fixdatChunks(header: FixdatHeader, games: Iterable<FixdatGame>): Generator<string> {
  yield fixdatHead(header);
  for (const game of games) yield fixdatGame(game);
  yield FIXDAT_TAIL;
}

function romAttrs(rom: FixdatRom): string {
  const attrs: [string, string | number | null][] = [['name', rom.name], ['size', rom.size], ['crc', rom.crc], ['md5', rom.md5], ['sha1', rom.sha1]];
  return attrs.filter(([, v]) => v !== null && v !== '').map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');
}
