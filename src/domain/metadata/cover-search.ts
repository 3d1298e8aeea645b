/**
 * The cover picker (`GET /api/search/cover`): SteamGridDB's games for a term, each with its covers, in RomM's
 * SearchCoverSchema shape, with RomM's errors: 500 "No SteamGridDB enabled" without a key, 401 "Invalid SGDB API
 * key" when SteamGridDB refuses it. SteamGridDB unreachable or failing is a 500 with what went wrong.
 */
import { AppError } from '../../common/errors.ts';
import type { SgdbClient } from '../../metadata/sgdb/client.ts';
import { searchSgdbCovers, type SgdbCoverResult } from '../../metadata/sgdb/covers.ts';
import { ProviderError } from '../../metadata/online/provider-http.ts';

export class CoverSearchService {
  constructor(private readonly sgdb: SgdbClient) {}

  async search(term: string): Promise<SgdbCoverResult[]> {
    if (!this.sgdb.enabled) throw new AppError(500, 'No SteamGridDB enabled');
    // Each search stands alone: an earlier failure must not answer for this one.
    this.sgdb.reset();
    try {
      return await searchSgdbCovers(this.sgdb, term);
    } catch (err) {
      if (err instanceof ProviderError && err.kind === 'auth') throw new AppError(401, 'Invalid SGDB API key');
      if (err instanceof ProviderError) throw new AppError(500, `SteamGridDB search failed: ${err.message}`);
      throw err;
    }
  }
}
