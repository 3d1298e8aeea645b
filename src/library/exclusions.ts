/**
 * What the scanner skips (spec §10.1, §10.3): RomM's default lists plus configured additions. Patterns are exact
 * names or shell globs (`*`, `?`, `[...]`), like Python's fnmatch.
 */

export const DEFAULT_EXCLUDED_EXTENSIONS = ['db', 'ini', 'tmp', 'bak', 'lock', 'log', 'cache', 'crdownload'];
export const DEFAULT_EXCLUDED_FILES = [
  '.DS_Store', '.localized', '.Trashes', '.stfolder', '@SynoResource', '*:Zone.Identifier', 'gamelist.xml',
  'metadata.pegasus.txt',
];
export const DEFAULT_EXCLUDED_DIRS = [
  '@eaDir', 'assets', '__MACOSX', '#recycle', '$RECYCLE.BIN', '.Trash-*', '.stfolder', '.Spotlight-V100',
  '.fseventsd', '.DocumentRevisions-V100', 'System Volume Information',
];

/** Additions from configuration, in RomM's `exclude:` shape. */
export interface ExclusionConfig {
  platforms?: string[];
  singleFileExtensions?: string[];
  singleFileNames?: string[];
  multiFileNames?: string[];
  multiFilePartExtensions?: string[];
  multiFilePartNames?: string[];
}

export interface Exclusions {
  platformDir(name: string): boolean;
  singleFile(name: string): boolean;
  romDir(name: string): boolean;
  /** A file or sub-folder inside a folder ROM. */
  part(name: string): boolean;
  /** A member of an archive that is hashed member by member. */
  archiveMember(name: string): boolean;
}

/** fnmatch-style glob → anchored RegExp. */
export function globToRegExp(glob: string, flags = ''): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob.charAt(i);
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end === -1) { re += '\\['; continue; }
      let body = glob.slice(i + 1, end);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      re += `[${body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, `s${flags}`);
}

function nameMatcher(patterns: string[], caseInsensitive: boolean): (name: string) => boolean {
  const norm = (s: string) => (caseInsensitive ? s.toLowerCase() : s);
  const exact = new Set(patterns.map(norm));
  const globs = patterns.filter((p) => /[*?[]/.test(p)).map((p) => globToRegExp(p, caseInsensitive ? 'i' : ''));
  return (name) => exact.has(norm(name)) || globs.some((g) => g.test(name));
}

function extensionMatcher(extensions: string[]): (name: string) => boolean {
  const suffixes = [...new Set(extensions.map((e) => `.${e.toLowerCase().replace(/^\./, '')}`))];
  return (name) => {
    const lower = name.toLowerCase();
    return suffixes.some((s) => lower.endsWith(s));
  };
}

export function buildExclusions(config: ExclusionConfig = {}): Exclusions {
  const platformDir = nameMatcher([...DEFAULT_EXCLUDED_DIRS, ...(config.platforms ?? [])], false);
  const singleExt = extensionMatcher([...DEFAULT_EXCLUDED_EXTENSIONS, ...(config.singleFileExtensions ?? [])]);
  const singleName = nameMatcher([...DEFAULT_EXCLUDED_FILES, ...(config.singleFileNames ?? [])], false);
  const romDir = nameMatcher([...DEFAULT_EXCLUDED_DIRS, ...(config.multiFileNames ?? [])], true);
  const partExt = extensionMatcher([...DEFAULT_EXCLUDED_EXTENSIONS, ...(config.multiFilePartExtensions ?? [])]);
  const partName = nameMatcher([...DEFAULT_EXCLUDED_FILES, ...DEFAULT_EXCLUDED_DIRS,
    ...(config.multiFilePartNames ?? [])], false);
  const defaultExt = extensionMatcher(DEFAULT_EXCLUDED_EXTENSIONS);
  const defaultName = nameMatcher(DEFAULT_EXCLUDED_FILES, false);
  return {
    platformDir,
    singleFile: (name) => singleExt(name) || singleName(name),
    romDir,
    part: (name) => partExt(name) || partName(name),
    archiveMember: (name) => {
      const base = name.slice(name.lastIndexOf('/') + 1);
      return defaultExt(base) || defaultName(base) || name.startsWith('__MACOSX/');
    },
  };
}
