import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** AUTH_SECRET, or one generated on first start and kept in DATA_PATH so tokens survive restarts. */
export async function resolveAuthSecret(explicit: string | null, dataPath: string): Promise<string> {
  if (explicit) return explicit;
  const file = path.join(dataPath, 'auth-secret');
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32).toString('hex');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
