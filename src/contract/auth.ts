import { Type, type Static } from 'typebox';

/** OAuth2 token endpoint (spec §2.4): RomM's form fields and token body. */

export const TokenForm = Type.Object({
  grant_type: Type.Optional(Type.String()),
  scope: Type.Optional(Type.String()),
  username: Type.Optional(Type.String()),
  password: Type.Optional(Type.String()),
  client_id: Type.Optional(Type.String()),
  client_secret: Type.Optional(Type.String()),
  refresh_token: Type.Optional(Type.String()),
});

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('bearer'),
  expires: Type.Integer(),
  refresh_expires: Type.Integer(),
});

export type TokenResponse = Static<typeof TokenResponse>;
