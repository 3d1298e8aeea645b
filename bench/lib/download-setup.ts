import { spawn, type ChildProcess } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { openDatabase } from '../../src/db/engine.ts';
import { migrateToLatest } from '../../src/db/migrator.ts';

const MiB = 1024 ** 2;

export interface BenchFile {
  /** Library-relative path. */
  rel: string;
  size: number;
  crc: string;
}

export interface BenchRom {
  fsPath: string;
  fsName: string;
  files: BenchFile[];
}

/** Writes `size` bytes of incompressible data (a random 1 MiB block varied per MiB) and returns its CRC-32. */
export async function writeDataFile(abs: string, size: number): Promise<string> {
  await mkdir(path.dirname(abs), { recursive: true });
  const block = randomFillSync(Buffer.alloc(MiB));
  const handle = await open(abs, 'w');
  let crc = 0;
  try {
    for (let written = 0, i = 0; written < size; i++) {
      block.writeUInt32LE(i, 0);
      const n = Math.min(MiB, size - written);
      await handle.write(block, 0, n);
      crc = crc32(block.subarray(0, n), crc);
      written += n;
    }
  } finally {
    await handle.close();
  }
  return (crc >>> 0).toString(16).padStart(8, '0');
}

/** A sparse file of zeros (cheap to create at any size) and its CRC-32. */
export async function writeSparseFile(abs: string, size: number): Promise<string> {
  await mkdir(path.dirname(abs), { recursive: true });
  await writeFile(abs, '');
  await truncate(abs, size);
  const zeros = Buffer.alloc(MiB);
  let crc = 0;
  for (let done = 0; done < size; done += MiB) crc = crc32(zeros.subarray(0, Math.min(MiB, size - done)), crc);
  return (crc >>> 0).toString(16).padStart(8, '0');
}

/** Creates the SQLite database the server will open, with one platform and the given ROMs. Returns ROM ids. */
export async function seedDatabase(dbFile: string, library: string, roms: BenchRom[]): Promise<number[]> {
  await mkdir(path.dirname(dbFile), { recursive: true });
  const db = await openDatabase({ engine: 'sqlite', location: dbFile });
  await migrateToLatest(db);
  const now = Date.now();
  await db.kysely.insertInto('platforms').values({ slug: 'psx', fs_slug: 'psx', name: 'PlayStation', custom_name: '', description: '', aspect_ratio: '2 / 3', missing_from_fs: 0, created_at: now, updated_at: now }).execute();
  const platform = await db.kysely.selectFrom('platforms').select('id').executeTakeFirstOrThrow();
  const ids: number[] = [];
  const meta = Object.fromEntries(['igdb', 'moby', 'ss', 'ra', 'launchbox', 'hasheous', 'flashpoint', 'hltb', 'gamelist', 'manual'].map((p) => [`${p}_metadata`, '{}']));
  for (const rom of roms) {
    await db.kysely.insertInto('roms').values({
      platform_id: platform.id, fs_name: rom.fsName, fs_name_no_tags: rom.fsName, fs_name_no_ext: rom.fsName, fs_extension: '',
      fs_path: rom.fsPath, fs_size_bytes: 0, name: rom.fsName, search_text: rom.fsName.toLowerCase(), ...meta, path_cover_s: '',
      path_cover_l: '', url_cover: '', path_manual: '', url_manual: '', path_screenshots: '[]', url_screenshots: '[]', regions: '[]',
      languages: '[]', tags: '[]', missing_from_fs: 0, player_count: '1', name_sort_key_custom: 0, created_at: now, updated_at: now,
    } as never).execute();
    const row = await db.kysely.selectFrom('roms').select('id').where('fs_name', '=', rom.fsName).executeTakeFirstOrThrow();
    ids.push(row.id);
    for (const f of rom.files) {
      const st = await stat(path.join(library, f.rel));
      await db.kysely.insertInto('rom_files').values({
        rom_id: row.id, file_name: path.posix.basename(f.rel), file_path: path.posix.dirname(f.rel), file_size_bytes: st.size,
        last_modified: st.mtimeMs, crc_hash: f.crc, missing_from_fs: 0, created_at: now, updated_at: now,
      }).execute();
    }
  }
  await db.destroy();
  return ids;
}

/** The reference server: Debian's nginx (sendfile) when installed, else `cat` piped to a socket by socat. */
export async function startReference(root: string, dir: string, port: number, file: string): Promise<{ proc: ChildProcess; name: string; url: string }> {
  if (existsSync('/usr/sbin/nginx')) {
    const conf = path.join(dir, 'nginx.conf');
    const tmp = path.join(dir, 'nginx-tmp');
    await mkdir(tmp, { recursive: true });
    await writeFile(conf, `worker_processes 1; daemon off; pid ${dir}/nginx.pid; error_log ${dir}/nginx-error.log; user root;
events { worker_connections 64; }
http { access_log off; sendfile on; tcp_nopush on; default_type application/octet-stream;
  client_body_temp_path ${tmp}; proxy_temp_path ${tmp}; fastcgi_temp_path ${tmp}; uwsgi_temp_path ${tmp}; scgi_temp_path ${tmp};
  server { listen 127.0.0.1:${port}; root ${root}; location / { } } }
`);
    return {
      proc: spawn('/usr/sbin/nginx', ['-p', dir, '-c', conf, '-e', `${dir}/nginx-error.log`], { stdio: 'ignore' }),
      name: 'nginx 1.22 (Debian, sendfile)',
      url: `http://127.0.0.1:${port}/${path.relative(root, file).split(path.sep).map(encodeURIComponent).join('/')}`,
    };
  }
  const script = `printf 'HTTP/1.1 200 OK\\r\\nContent-Length: %s\\r\\nConnection: close\\r\\n\\r\\n' "$(stat -c %s '${file}')"; cat '${file}'`;
  return {
    proc: spawn('socat', [`TCP-LISTEN:${port},bind=127.0.0.1,reuseaddr,fork`, `SYSTEM:${script}`], { stdio: 'ignore' }),
    name: 'cat to a socket (socat)',
    url: `http://127.0.0.1:${port}/`,
  };
}
