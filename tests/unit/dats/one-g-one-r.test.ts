import { describe, expect, it } from 'vitest';
import { preferredRelease, regionRank, releaseOrder, releaseQuality, type Release } from '../../../src/domain/dats/one-g-one-r.ts';

const US_FIRST = ['us', 'wor', 'eu', 'jp'];
const EU_FIRST = ['eu', 'us', 'jp'];
let id = 0;
const rel = (name: string, status: Release['status'] = 'verified'): Release => ({ id: ++id, name, status });

describe('1G1R selection', () => {
  it('follows the user\'s region order', () => {
    const group = [rel('Sonic the Hedgehog (Japan, Korea)'), rel('Sonic the Hedgehog (USA, Europe)'), rel('Sonic the Hedgehog (Europe)')];
    expect(preferredRelease(group, US_FIRST)?.name).toBe('Sonic the Hedgehog (USA, Europe)');
    expect(preferredRelease(group, ['jp'])?.name).toBe('Sonic the Hedgehog (Japan, Korea)');
    // A tie on region falls to the name, so the result never depends on row order.
    expect(preferredRelease([...group].reverse(), EU_FIRST)?.name).toBe('Sonic the Hedgehog (Europe)');
  });

  it('takes the latest revision of the preferred region, and an original over a re-release', () => {
    const group = [rel('Zelda II (USA)'), rel('Zelda II (USA) (Rev 1)'), rel('Zelda II (USA) (Rev 2)'), rel('Zelda II (Europe) (Rev 3)')];
    expect(preferredRelease(group, US_FIRST)?.name).toBe('Zelda II (USA) (Rev 2)');
    expect(releaseOrder('Game (USA) (Rev A)')).toBeLessThan(releaseOrder('Game (USA)'));
    const vc = [rel('Metroid (USA) (Virtual Console)'), rel('Metroid (USA)')];
    expect(preferredRelease(vc, US_FIRST)?.name).toBe('Metroid (USA)');
  });

  it('a finished good dump beats a beta, a pirate or a bad dump of a better region', () => {
    const group = [rel('Game (USA) (Beta)'), rel('Game (USA) (Pirate)'), rel('Game (USA)', 'bad_dump'), rel('Game (Europe)')];
    expect(preferredRelease(group, US_FIRST)?.name).toBe('Game (Europe)');
    expect(releaseQuality('Game (USA) [b1]', 'verified')).toBeGreaterThan(releaseQuality('Game (USA)', 'unknown'));
    expect(releaseQuality('Game (USA) (Proto)', 'verified')).toBeGreaterThan(releaseQuality('Game (USA)', 'verified'));
  });

  it('regionRank: the best region of a multi-region name; none ranks last', () => {
    expect(regionRank('Tetris (Japan, USA)', US_FIRST)).toBe(0);
    expect(regionRank('Tetris (World)', US_FIRST)).toBe(1);
    expect(regionRank('Tetris', US_FIRST)).toBe(4);
    expect(preferredRelease([], US_FIRST)).toBeUndefined();
  });
});
