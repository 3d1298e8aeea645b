/**
 * Names derived from a ROM's file or folder name (spec §8.2). Pure functions shared by the scanner and by the
 * ROM edit/rename code, so a renamed ROM gets exactly the fields a fresh scan would give it.
 */

const EXTENSION_RE = /\.(([a-z]+\.)*\w+)$/;
const TRAILING_TAGS_RE = /(?:\s*(?:\([^)]*\)|\[[^\]]*\]))+\s*$/;
const LEADING_ARTICLE_RE = /^(?:the|a|an|le|la|les|el|los|las|il|lo|gli|der|die|das|het)\s+/;
const DIGIT_RUN_RE = /\d+/g;

export const NAME_SORT_KEY_MAX = 500;

/** `Game (USA).tar.gz` → `tar.gz`; a folder named `Game 1.5` yields `5`, as RomM does. */
export function fsExtension(fsName: string): string {
  return EXTENSION_RE.exec(fsName)?.[1] ?? '';
}

export function fsNameNoExt(fsName: string): string {
  const ext = fsExtension(fsName);
  return (ext ? fsName.slice(0, fsName.length - ext.length - 1) : fsName).trim();
}

/** The no-extension name without its trailing `(...)`/`[...]` groups. */
export function fsNameNoTags(fsName: string): string {
  return fsNameNoExt(fsName).replace(TRAILING_TAGS_RE, '').trim();
}

/** Sort key: lower case, one leading article dropped, digit runs zero-padded to 12 so `10` sorts after `9`. */
export function nameSortKey(name: string | null | undefined): string {
  if (!name) return '';
  const key = name
    .toLowerCase()
    .replace(LEADING_ARTICLE_RE, '')
    .trim()
    .replace(DIGIT_RUN_RE, (run) => run.padStart(12, '0'));
  return key.slice(0, NAME_SORT_KEY_MAX);
}

/** The LIKE-search haystack stored in `roms.search_text`. */
export function searchText(name: string | null | undefined, fsName: string): string {
  return `${name ?? ''} ${fsName}`.toLowerCase();
}

export interface FsNameFields {
  fs_name: string;
  fs_name_no_tags: string;
  fs_name_no_ext: string;
  fs_extension: string;
}

export function fsNameFields(fsName: string): FsNameFields {
  return {
    fs_name: fsName,
    fs_name_no_tags: fsNameNoTags(fsName),
    fs_name_no_ext: fsNameNoExt(fsName),
    fs_extension: fsExtension(fsName),
  };
}
