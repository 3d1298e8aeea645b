import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { MetadataIssueKind, MetadataIssues } from '../../../../src/metadata/types.ts';

export const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures/metadata/gamelist');

export class IssueLog implements MetadataIssues {
  readonly items: { kind: MetadataIssueKind; path: string; message: string }[] = [];
  add(kind: MetadataIssueKind, p: string, message: string): void {
    this.items.push({ kind, path: p, message });
  }
  kinds(): MetadataIssueKind[] {
    return this.items.map((i) => i.kind);
  }
}

export const scratch = (): Promise<string> => mkdtemp(path.join(os.tmpdir(), 'gamelist-'));

/** A platform folder holding one of the fixture gamelists. */
export async function platformWith(fixture: string): Promise<string> {
  const dir = path.join(await scratch(), 'snes');
  await mkdir(dir, { recursive: true });
  await cp(path.join(FIXTURES, fixture, 'gamelist.xml'), path.join(dir, 'gamelist.xml'));
  return dir;
}

export async function touch(file: string, content = 'x'): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
}
