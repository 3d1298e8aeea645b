import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, isSeq, parseDocument, type Document } from 'yaml';
import { AppError } from '../../common/errors.ts';

/** RomM's message when config.yml cannot be written (exceptions/config_exceptions.py). */
export const NOT_WRITABLE = 'Config file is not writable. Check config.yml permissions';

/**
 * 409 rather than RomM's 500: the request is fine, the server's config file is in a state that refuses it (read-only
 * mount, unparsable YAML). A 5xx would also be swapped for an error page by some reverse proxies, hiding `detail`.
 */
const refused = (detail: string) => new AppError(409, detail);

/** A config file is a few kilobytes; anything this large is not one (config-file.ts reads no more either). */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * One edit of config.yml through the `yaml` Document API, so the user's comments, key order, quoting and unrelated
 * keys survive; written atomically (temp file in the same folder, fsync, rename). When the folder is not writable but
 * the file is (a single-file bind mount), the file is rewritten in place instead. `edit` returns false when there is
 * nothing to change; the file is then left alone. True when the file was written.
 */
export async function editConfigFile(file: string, edit: (doc: Document) => boolean): Promise<boolean> {
  const target = await realpath(file).catch(() => file);
  const info = await stat(target).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw refused(`${NOT_WRITABLE} (${err.code ?? err.message})`);
  });
  let text = '';
  if (info) {
    if (!info.isFile()) throw refused(`${NOT_WRITABLE} (not a regular file)`);
    if (info.size > MAX_CONFIG_BYTES) throw refused(`Config file is larger than ${MAX_CONFIG_BYTES} bytes; edit it by hand`);
    if (!(await access(target, constants.W_OK).then(() => true, () => false))) throw refused(NOT_WRITABLE);
    text = await readFile(target, 'utf8');
  }
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw refused(`config.yml has a YAML error; fix it before changing settings here: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`);
  }
  if (doc.contents !== null && !isMap(doc.contents) && !(isScalar(doc.contents) && doc.contents.value === null)) {
    throw refused('config.yml is not a YAML mapping; fix it before changing settings here');
  }
  if (!edit(doc)) return false;
  await writeAtomically(target, doc.toString({ lineWidth: 0 }), info?.mode);
  return true;
}

async function writeAtomically(target: string, text: string, mode: number | undefined): Promise<void> {
  const dir = path.dirname(target);
  const temp = path.join(dir, `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    const handle = await open(temp, 'wx', mode !== undefined ? mode & 0o777 : 0o644);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    // A read-only folder holding a writable file, or a file bind-mounted on its own (rename answers EBUSY/EXDEV).
    if (mode !== undefined && (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'EBUSY' || code === 'EXDEV')) {
      await writeFile(target, text, 'utf8').catch((e: NodeJS.ErrnoException) => {
        throw refused(`${NOT_WRITABLE} (${e.code ?? e.message})`);
      });
      return;
    }
    throw refused(`${NOT_WRITABLE} (${code ?? (err as Error).message})`);
  }
}

/** Makes `keys` a mapping, replacing an empty or scalar value (`system:` with nothing under it) by `{}`. */
export function ensureMap(doc: Document, keys: readonly string[]): void {
  for (let i = 1; i <= keys.length; i++) {
    const at = keys.slice(0, i);
    if (!isMap(doc.getIn(at, true))) doc.setIn(at, doc.createNode({}));
  }
}

/** The strings of the sequence at `keys` (empty when absent or not a sequence). */
export function seqValues(doc: Document, keys: readonly string[]): string[] {
  const node = doc.getIn(keys, true);
  return isSeq(node) ? node.items.map((item) => String(isScalar(item) ? item.value : item)) : [];
}

/** Appends `value` to the sequence at `keys`, creating it (block style) where it is missing or not a list. */
export function seqAdd(doc: Document, keys: readonly string[], value: string): void {
  ensureMap(doc, keys.slice(0, -1));
  const node = doc.getIn(keys, true);
  if (isSeq(node)) node.items.push(doc.createNode(value));
  else doc.setIn(keys, doc.createNode([value]));
}

/** Removes every item equal to `value` from the sequence at `keys`; true when one was there. */
export function seqRemove(doc: Document, keys: readonly string[], value: string): boolean {
  const node = doc.getIn(keys, true);
  if (!isSeq(node)) return false;
  const before = node.items.length;
  node.items = node.items.filter((item) => String(isScalar(item) ? item.value : item) !== value);
  return node.items.length !== before;
}

/**
 * Sets the entry at `keys`, creating the parents. An existing list or scalar is updated in place, so its style (flow
 * `[a, b]` or block) and the comments attached to it stay.
 */
export function mapSet(doc: Document, keys: readonly string[], value: unknown): void {
  ensureMap(doc, keys.slice(0, -1));
  const node = doc.getIn(keys, true);
  if (Array.isArray(value) && isSeq(node)) node.items = value.map((v) => doc.createNode(v));
  else if (!Array.isArray(value) && (value === null || typeof value !== 'object') && isScalar(node)) node.value = value;
  else doc.setIn(keys, doc.createNode(value));
}

/** Deletes the entry at `keys` when its parent is a mapping that holds it. */
export function mapDelete(doc: Document, keys: readonly string[]): boolean {
  const parent = doc.getIn(keys.slice(0, -1), true);
  if (!isMap(parent) || !parent.has(keys[keys.length - 1])) return false;
  doc.deleteIn(keys);
  return true;
}
