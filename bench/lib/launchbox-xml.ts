import { OTHER_LAUNCHBOX_PLATFORMS, type LibraryRom } from './metadata-platforms.ts';
import { company, description, esrb, genres, guid, launchboxDate, mix, players } from './metadata-text.ts';
import { XmlFile, xmlFields } from './xml-out.ts';

/**
 * A LaunchBox-shaped `Metadata.xml` (the public database LaunchBox ships), written as a stream in its own order:
 * every `<Game>`, then every `<GameAlternateName>`, then every `<GameImage>`. Four in five titles of the library have
 * a game (one game per platform and title, shared by the regional variants); one in ten of those carries LaunchBox's
 * spelling ("The Legend of X: Y" for No-Intro's "Legend of X, The - Y"), half of them with the library's spelling as
 * an alternate name. The remaining games are other titles, on the library's platforms and on others.
 */

interface LbGame { id: number; platform: string; name: string; alternate: { name: string; region: string } | null }

const ALT_REGIONS = ['Japan', 'Europe', 'Germany', 'France', 'North America', 'China'];
const IMAGE_REGIONS = ['North America', 'Europe', 'Japan', 'World', ''];

/** LaunchBox's spelling of a No-Intro title: leading article restored, " - " subtitle as ": ". */
function launchboxSpelling(title: string): string {
  const [main = title, ...rest] = title.split(' - ');
  const article = /^(.*), (The|A|An)$/.exec(main);
  const head = article ? `${article[2]} ${article[1]}` : main;
  return rest.length ? `${head}: ${rest.join(' - ')}` : `${head}: Special Edition`;
}

function plan(roms: LibraryRom[], total: number): { games: LbGame[]; libraryTitles: number } {
  const games: LbGame[] = [];
  const keys = new Set<string>();
  let distinct = 0;
  for (const rom of roms) {
    if (games.length >= total) break;
    const key = `${rom.platform.launchbox}\t${rom.title.toLowerCase()}`;
    if (keys.has(key)) continue;
    keys.add(key);
    if (distinct++ % 5 === 4) continue; // not in LaunchBox's database
    const id = games.length + 1;
    const respelled = mix(id, 1) % 10 === 0;
    const name = respelled ? launchboxSpelling(rom.title) : rom.title;
    const alternate = respelled && id % 2 === 0
      ? { name: rom.title, region: 'North America' }
      : mix(id, 2) % 4 === 0 ? { name: `${rom.title} Gaiden`, region: ALT_REGIONS[mix(id, 3) % ALT_REGIONS.length] as string } : null;
    games.push({ id, platform: rom.platform.launchbox, name, alternate });
  }
  const libraryTitles = games.length;
  const platforms = [...new Set(roms.map((r) => r.platform.launchbox)), ...OTHER_LAUNCHBOX_PLATFORMS];
  for (let k = 0; games.length < total; k++) {
    const id = games.length + 1;
    games.push({ id, platform: platforms[k % platforms.length] as string, name: `Unowned Adventure ${k} ${['II', 'Deluxe', 'Returns', '64', 'Zero'][k % 5]}`, alternate: null });
  }
  return { games, libraryTitles };
}

export async function writeLaunchboxMetadata(file: string, roms: LibraryRom[], total: number): Promise<{ games: number; libraryTitles: number; bytes: number }> {
  const { games, libraryTitles } = plan(roms, total);
  const out = new XmlFile(file);
  await out.write('<?xml version="1.0" standalone="yes"?>\n<LaunchBox>\n');
  for (const g of games) {
    const rating = 1 + (mix(g.id, 43) % 4000) / 1000;
    await out.write(`  <Game>\n${xmlFields([
      ['Name', g.name],
      ['ReleaseDate', launchboxDate(g.id)],
      ['Overview', description(g.id, g.name)],
      ['MaxPlayers', players(g.id).split('-').pop()],
      ['ReleaseType', 'Released'],
      ['Cooperative', mix(g.id, 47) % 5 === 0 ? 'true' : 'false'],
      ['DatabaseID', g.id],
      ['CommunityRating', String(rating)],
      ['Platform', g.platform],
      ['ESRB', esrb(g.id)],
      ['CommunityRatingCount', mix(g.id, 53) % 900],
      ['Genres', genres(g.id).join(';')],
      ['Developer', company(g.id, 59)],
      ['Publisher', company(g.id, 61)],
    ], '    ')}  </Game>\n`);
  }
  for (const g of games) {
    if (!g.alternate) continue;
    await out.write(`  <GameAlternateName>\n${xmlFields([['AlternateName', g.alternate.name], ['DatabaseID', g.id], ['Region', g.alternate.region]], '    ')}  </GameAlternateName>\n`);
  }
  for (const g of games) {
    for (const [salt, type] of [[71, 'Box - Front'], [73, 'Screenshot - Gameplay']] as const) {
      await out.write(`  <GameImage>\n${xmlFields([
        ['DatabaseID', g.id],
        ['FileName', `${guid(g.id, salt)}.${mix(g.id, salt) % 3 === 0 ? 'png' : 'jpg'}`],
        ['Type', type],
        ['Region', IMAGE_REGIONS[mix(g.id, salt + 1) % IMAGE_REGIONS.length]],
        ['CRC32', mix(g.id, salt + 2)],
      ], '    ')}  </GameImage>\n`);
    }
  }
  await out.write('</LaunchBox>\n');
  await out.close();
  return { games: games.length, libraryTitles, bytes: out.bytes };
}
