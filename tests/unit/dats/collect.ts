import { chunksOf, parseDat } from '../../../src/dats/detect.ts';
import type { DatGame, DatHeader, DatLimits } from '../../../src/dats/types.ts';
import { DEFAULT_DAT_LIMITS } from '../../../src/dats/types.ts';

/** Parses a whole DAT given as text (fed in `chunk`-sized pieces) into its header and games. */
export async function collect(text: string, chunk = 64 * 1024, limits: Partial<DatLimits> = {}): Promise<{ format: string; header: DatHeader | null; games: DatGame[] }> {
  const { format, events } = await parseDat(chunksOf(text, chunk), { ...DEFAULT_DAT_LIMITS, ...limits });
  let header: DatHeader | null = null;
  const games: DatGame[] = [];
  for await (const ev of events) {
    if (ev.kind === 'header') header = ev.header;
    else games.push(ev.game);
  }
  return { format, header, games };
}
