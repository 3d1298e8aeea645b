import { describe, expect, it } from 'vitest';
import { derivePlayerCount, pyRound2, preferredLocale, type IgdbGame } from '../../../../src/metadata/igdb/blob.ts';
import { quoted } from '../../../../src/metadata/igdb/apicalypse.ts';
import { findBestMatch, igdbIdTag, indexBySearchableName, isPrefixSupersetMatch, normalizeSearchTerm, searchTermFor } from '../../../../src/metadata/igdb/matching.ts';
import { platformsWhere } from '../../../../src/metadata/igdb/platforms.ts';
import { MemoryTitleIndexes } from '../../../../src/metadata/online/title-indexes.ts';

describe('IGDB matching', () => {
  it('normalizes names as RomM does', () => {
    expect(normalizeSearchTerm('Legend of Zelda, The - A Link to the Past')).toBe('legend of zelda a link to the past');
    expect(normalizeSearchTerm('The Legend of Zelda: A Link to the Past')).toBe('legend of zelda a link to the past');
    expect(normalizeSearchTerm('Pokémon_Snap')).toBe('pokemon snap');
    expect(normalizeSearchTerm('Theme Park')).toBe('theme park');
    expect(normalizeSearchTerm('Adventures of Batman & Robin, The')).toBe('adventures of batman robin');
  });

  it('picks the best candidate above 0.75 and detects prefix/superset titles', () => {
    expect(findBestMatch('final fantasy vii', ['Final Fantasy VII: Advent Children', 'Final Fantasy VII'])).toEqual({ name: 'Final Fantasy VII', score: 1 });
    expect(findBestMatch('contra', ['Probotector'])).toBeNull();
    expect(isPrefixSupersetMatch('metal gear solid portable ops plus', 'Metal Gear Solid: Portable Ops')).toBe(true);
    expect(isPrefixSupersetMatch('sonic hedgehog', 'Sonic the Hedgehog')).toBe(false);
    expect(isPrefixSupersetMatch('Metal Gear Solid', 'metal gear solid')).toBe(false);
  });

  it('indexes primary names first (lowest id wins), then alternative and localized names', () => {
    const games = [
      { id: 200, name: 'Shared', alternative_names: [{ name: 'Other' }] },
      { id: 100, name: 'Shared', game_localizations: [{ name: 'Lokal' }] },
      { id: 300, name: 'Other' },
    ] as IgdbGame[];
    const index = indexBySearchableName(games);
    expect([...index].map(([k, g]) => [k, g.id])).toEqual([['Shared', 100], ['Other', 300], ['Lokal', 100]]);
  });

  it('builds the search term from tags and indexes', async () => {
    expect(igdbIdTag('Game (USA) (IGDB-42).zip')).toBe(42);
    expect(igdbIdTag('Game (USA).zip')).toBeNull();
    const indexes = new MemoryTitleIndexes({
      'ps2-serial': { 'SLUS-20062': 'GRAND THEFT AUTO III' }, 'ps2-opl': { 'SLES_500.03': 'Tekken Tag Tournament' },
      mame: { sf2: 'Street Fighter II: The World Warrior (World 910522)' },
    });
    expect(await searchTermFor('Grand Theft Auto III (USA) (SLUS-20062).iso', 8, indexes)).toBe('GRAND THEFT AUTO III');
    expect(await searchTermFor('SLES_500.03.Tekken.iso', 8, indexes)).toBe('Tekken Tag Tournament');
    expect(await searchTermFor('sf2.zip', 52, indexes)).toBe('Street Fighter II: The World Warrior');
    expect(await searchTermFor('Final Fantasy VII (USA) (Disc 1).chd', 7, indexes)).toBe('Final Fantasy VII');
  });

  it('writes RomM\'s platform filters and safe strings', () => {
    expect(platformsWhere(19)).toBe('(platforms=[19] | platforms=[58])');
    expect(platformsWhere(7, 'game.platforms')).toBe('game.platforms=[7]');
    expect(quoted('Pokémon "X"\\; æ')).toBe('Pokemon X ; ae');
  });

  it('formats ratings, player counts and locales as RomM does', () => {
    expect([pyRound2(91.5723), pyRound2(90), pyRound2(0), pyRound2(0.125), pyRound2(0.375)]).toEqual(['91.57', '90.0', '0.0', '0.12', '0.38']);
    const mode = (p: number, extra: object) => ({
      campaigncoop: false, dropin: false, lancoop: false, offlinecoop: false, offlinecoopmax: 0, offlinemax: 0, onlinecoop: false,
      onlinecoopmax: 0, onlinemax: 0, splitscreen: false, splitscreenonline: false, platform: { igdb_id: p, name: '' }, ...extra,
    });
    expect(derivePlayerCount([mode(7, { offlinemax: 2 }), mode(6, { onlinemax: 8 })], 7)).toBe('1-2');
    expect(derivePlayerCount([mode(7, { offlinemax: 2 }), mode(6, { onlinemax: 8 })], null)).toBe('1-8');
    expect(derivePlayerCount([mode(7, { campaigncoop: true })], 7)).toBe('1-2');
    expect(derivePlayerCount([], 7)).toBe('1');
    expect(preferredLocale(['jp'], ['us', 'wor', 'ss', 'eu', 'jp'])).toBe('ja-JP');
    expect(preferredLocale(['us', 'jp'], ['us', 'wor', 'ss', 'eu', 'jp'])).toBeNull();
    expect(preferredLocale([], ['eu', 'us'])).toBe('EU');
  });
});
