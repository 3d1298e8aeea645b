/**
 * The disk half of a ROM rename. `renameOnDisk` moves the ROM's file or folder inside its platform directory
 * and returns the move that undoes it; the edit service runs it as the last step of the database transaction
 * and calls the undo if the transaction then fails, so disk and database never disagree.
 */
import { rename } from 'node:fs/promises';
import type { FacetValues } from '../../db/repositories/rom-writer.ts';
import type { EditableFile, FacetRow } from '../../db/repositories/rom-edit-repository.ts';
import { childPath, libraryDir, moveNoReplace } from './edit-paths.ts';

export interface DiskRename {
  libraryRoot: string;
  /** Library-relative platform directory holding the ROM. */
  fsPath: string;
  from: string;
  to: string;
  /** Filename facets of the new name. */
  facets: FacetValues;
}

/** Moves the ROM; returns the undo, or a no-op when the ROM was not on disk. */
export async function renameOnDisk(r: DiskRename): Promise<() => Promise<void>> {
  const dir = libraryDir(r.libraryRoot, r.fsPath);
  const from = childPath(dir, r.from);
  const to = childPath(dir, r.to);
  const moved = await moveNoReplace(from, to, r.to);
  return moved ? () => rename(to, from) : async () => undefined;
}

/**
 * New `file_name`/`file_path` of the ROM's files after a rename, matched by path prefix (RomM replaces every
 * occurrence of the old name as a substring, which corrupts paths that contain it twice).
 */
export function renamedFileRows(files: EditableFile[], fsPath: string, from: string, to: string): EditableFile[] {
  const oldRoot = `${fsPath}/${from}`;
  const newRoot = `${fsPath}/${to}`;
  const out: EditableFile[] = [];
  for (const f of files) {
    if (f.file_path === fsPath && f.file_name === from) out.push({ ...f, file_name: to });
    else if (f.file_path === oldRoot) out.push({ ...f, file_path: newRoot });
    else if (f.file_path.startsWith(`${oldRoot}/`)) out.push({ ...f, file_path: newRoot + f.file_path.slice(oldRoot.length) });
  }
  return out;
}

export function filenameFacetRows(romId: number, f: FacetValues): FacetRow[] {
  const rows: FacetRow[] = [];
  for (const kind of ['region', 'language', 'tag'] as const) {
    for (const value of new Set(f[kind])) rows.push({ rom_id: romId, kind, value });
  }
  return rows;
}
