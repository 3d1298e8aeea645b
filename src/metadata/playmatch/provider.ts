/**
 * Playmatch as a metadata source: it has no fields, blob or media of its own (its answer is ids for other providers,
 * see client.ts), so it opens no session; it exists so the heartbeat reports `PLAYMATCH_API_ENABLED`,
 * `/api/heartbeat/metadata/playmatch` checks the service, and each pass starts with a fresh client.
 */
import type { MetadataPlatform, MetadataProvider, MetadataRom, PlatformSession, ProviderIdColumn } from '../types.ts';
import type { PlaymatchClient } from './client.ts';

export class PlaymatchProvider implements MetadataProvider {
  readonly id = 'playmatch' as const;
  readonly heartbeatFlag = 'PLAYMATCH_API_ENABLED';
  readonly online = true;

  constructor(readonly client: PlaymatchClient) {}

  available(): Promise<boolean> {
    return Promise.resolve(this.client.enabled);
  }

  health(): Promise<boolean> {
    return this.client.health();
  }

  prepare(): Promise<void> {
    this.client.reset();
    return Promise.resolve();
  }

  fingerprint(_platform: MetadataPlatform): Promise<string | null> {
    return Promise.resolve(null);
  }

  open(): Promise<PlatformSession | null> {
    return Promise.resolve(null);
  }

  /** The ids Playmatch knows for the ROM's file (RomM identifies by name, size and hashes). */
  async hints(rom: MetadataRom): Promise<Partial<Record<ProviderIdColumn, number>>> {
    return this.client.identify({
      fileName: rom.fsName, fileSize: rom.sizeBytes ?? 0,
      ...(rom.md5 ? { md5: rom.md5 } : {}), ...(rom.sha1 ? { sha1: rom.sha1 } : {}), ...(rom.crc ? { crc: rom.crc } : {}),
    });
  }
}
