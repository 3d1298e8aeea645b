import { describe, expect, it } from 'vitest';
import { mergeMetadata, type MergeCurrent } from '../../../src/metadata/merge.ts';
import { metadataSettingsFromYaml, orderByPriority } from '../../../src/metadata/settings.ts';
import type { ProviderMatch } from '../../../src/metadata/types.ts';

const current = (over: Partial<MergeCurrent> = {}): MergeCurrent => ({
  name: 'Game', summary: null, fsName: 'Game (USA).sfc', fsNameNoTags: 'Game', hasCover: false, fieldSources: {}, ids: {}, ...over,
});
const f = (p: string) => ({ path: `/m/${p}`, root: '/m' });
const gl: ProviderMatch = { source: 'gamelist', id: 'g', name: 'GL name', summary: 'GL desc', media: { cover: f('gl.png'), screenshots: [f('gl-shot.png')], manual: f('gl.pdf'), extras: { marquee: f('gl-marquee.png') } }, urls: { cover: 'file:///m/gl.png' } };
const lb: ProviderMatch = { source: 'launchbox', id: 7, name: 'LB name', metadata: { genres: ['RPG'] }, media: {}, urls: { cover: 'https://images.launchbox-app.com/x.png' } };
const lr: ProviderMatch = { source: 'libretro', id: 'sha', media: { cover: f('lr.png') }, urls: { cover: 'https://thumbnails.libretro.com/x.png' } };
const settings = (yaml: unknown = {}) => metadataSettingsFromYaml(yaml);

describe('mergeMetadata', () => {
  it('takes text by scan.priority.metadata and artwork by scan.priority.artwork', () => {
    const plan = mergeMetadata({ current: current(), matches: [gl, lb, lr], selected: ['gamelist', 'launchbox', 'libretro'], type: 'quick', settings: settings() });
    expect(plan.name).toEqual({ source: 'launchbox', value: 'LB name' });
    expect(plan.summary).toEqual({ source: 'gamelist', value: 'GL desc' });
    // libretro ranks before launchbox and gamelist for artwork.
    expect(plan.cover?.source).toBe('libretro');
    expect(plan.urls.url_cover).toBe('https://thumbnails.libretro.com/x.png');
    expect(plan.ids).toEqual({ gamelist_id: 'g', launchbox_id: 7, libretro_id: 'sha' });
    expect(plan.blobs).toEqual({ launchbox_metadata: { genres: ['RPG'] } });
  });

  it('prefers a source with the file over a higher one that only knows a URL', () => {
    const plan = mergeMetadata({ current: current(), matches: [gl, lb], selected: ['gamelist', 'launchbox'], type: 'quick', settings: settings() });
    expect(plan.cover).toEqual({ source: 'gamelist', value: f('gl.png') });
    expect(plan.urls.url_cover).toBe('file:///m/gl.png');
    const urlOnly = mergeMetadata({ current: current(), matches: [lb], selected: ['launchbox'], type: 'quick', settings: settings() });
    expect(urlOnly.cover).toBeUndefined();
    expect(urlOnly.urls.url_cover).toBe('https://images.launchbox-app.com/x.png');
  });

  it('honours per-field overrides and scan.media', () => {
    const s = settings({ scan: { priority: { cover: ['gamelist', 'libretro'] }, media: ['box2d'] } });
    const plan = mergeMetadata({ current: current(), matches: [gl, lr], selected: ['gamelist', 'libretro'], type: 'quick', settings: s });
    expect(plan.cover?.source).toBe('gamelist');
    expect(plan.screenshots).toBeUndefined();
    expect(plan.manual).toBeUndefined();
    expect(plan.extras).toEqual({});
    const withExtras = mergeMetadata({ current: current(), matches: [gl], selected: ['gamelist'], type: 'quick', settings: settings({ scan: { media: ['box2d', 'marquee', 'manual'] } }) });
    expect(withExtras.extras.marquee?.source).toBe('gamelist');
    expect(withExtras.manual?.source).toBe('gamelist');
  });

  it('leaves manual fields and legacy edits alone', () => {
    const marked = mergeMetadata({ current: current({ name: 'Mine', fieldSources: { name: 'manual', cover: 'manual' } }), matches: [gl], selected: ['gamelist'], type: 'complete', settings: settings() });
    expect(marked.name).toBeUndefined();
    expect(marked.cover).toBeUndefined();
    expect(marked.summary?.value).toBe('GL desc');
    // A name that is not the file-name placeholder and was recorded by no source was typed by a user.
    const legacy = mergeMetadata({ current: current({ name: 'Typed', summary: 'Typed too', hasCover: true }), matches: [gl], selected: ['gamelist'], type: 'update', settings: settings() });
    expect(legacy.name).toBeUndefined();
    expect(legacy.summary).toBeUndefined();
    expect(legacy.cover).toBeUndefined();
    // A value a source filled may be refreshed.
    const refreshed = mergeMetadata({ current: current({ name: 'Old GL', fieldSources: { name: 'gamelist' } }), matches: [gl], selected: ['gamelist'], type: 'update', settings: settings() });
    expect(refreshed.name?.value).toBe('GL name');
  });

  it('clears a lost match only on complete scans of that source', () => {
    const cur = current({ ids: { gamelist_id: 'g', launchbox_id: 7 }, hasCover: true, fieldSources: { cover: 'gamelist', screenshots: 'gamelist' } });
    const update = mergeMetadata({ current: cur, matches: [], selected: ['gamelist'], type: 'update', settings: settings() });
    expect(update.ids).toEqual({});
    expect(update.clear).toEqual([]);
    const complete = mergeMetadata({ current: cur, matches: [], selected: ['gamelist'], type: 'complete', settings: settings() });
    expect(complete.ids).toEqual({ gamelist_id: null });
    expect(complete.blobs).toEqual({ gamelist_metadata: {} });
    expect(complete.clear).toEqual(['cover', 'screenshots']);
  });
});

describe('orderByPriority', () => {
  it('puts listed sources first and keeps the rest after them', () => {
    expect(orderByPriority(['libretro', 'gamelist', 'launchbox'], ['launchbox', 'gamelist'])).toEqual(['launchbox', 'gamelist', 'libretro']);
  });

  it('drops unknown slugs from config.yml lists', () => {
    expect(settings({ scan: { priority: { metadata: ['nope', 'GAMELIST', 'launchbox'] } } }).metadataPriority).toEqual(['gamelist', 'launchbox']);
  });
});
