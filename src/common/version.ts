import pkg from '../../package.json' with { type: 'json' };

/**
 * The RomM release whose API romshelf implements. Clients gate features on it (device pairing needs major >= 5) and
 * several reject anything but plain `MAJOR.MINOR.PATCH`, so it carries no prefix or suffix.
 */
export const ROMM_API_VERSION = '5.2.0';

/** romshelf's own version (package.json), reported beside the RomM version and in the OpenAPI document. */
export const ROMSHELF_VERSION: string = pkg.version;
