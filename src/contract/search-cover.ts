import { Type } from 'typebox';

/** RomM's SGDBResource: one SteamGridDB cover. */
export const SgdbResourceSchema = Type.Object({
  thumb: Type.String(), url: Type.String(), type: Type.String(), width: Type.Integer(), height: Type.Integer(), style: Type.String(),
  author: Type.String(), score: Type.Integer(), nsfw: Type.Boolean(), humor: Type.Boolean(), epilepsy: Type.Boolean(),
});

/** RomM's SearchCoverSchema: a game and its covers. */
export const SearchCoverSchema = Type.Object({ name: Type.String(), resources: Type.Array(SgdbResourceSchema) });

/** `GET /api/search/cover?search_term=`: RomM defaults the term to empty. */
export const SearchCoverQuery = Type.Object({ search_term: Type.Optional(Type.String({ maxLength: 500 })) });
