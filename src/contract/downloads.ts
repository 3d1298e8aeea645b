import { Type } from 'typebox';
import { Detail, ValidationDetail } from './common.ts';

export const RomContentParams = Type.Object({
  id: Type.Integer({ minimum: 1, description: 'Rom internal id.' }),
  file_name: Type.String({ description: 'Name of the download (zip name for multi-file ROMs); files come from the database.' }),
});

export const RomFileContentParams = Type.Object({
  id: Type.Integer({ minimum: 1, description: 'Rom file internal id.' }),
  file_name: Type.String({ description: 'Cosmetic; the file served is chosen by id.' }),
});

export const RomContentQuery = Type.Object({
  file_ids: Type.Optional(Type.String({ description: 'Comma-separated list of file ids to download for multi-part roms.' })),
  hidden_folder: Type.Optional(Type.String({ description: 'Place zip entries under `.hidden/` (muOS multi-disc convention).' })),
});

export const BulkDownloadQuery = Type.Object({
  rom_ids: Type.Optional(Type.String({ description: 'Comma-separated list of ROM IDs to download as a zip file.' })),
  platform_id: Type.Optional(Type.Integer({ description: 'Download every ROM in this platform as a zip file.' })),
  collection_id: Type.Optional(Type.Integer({ description: 'Download every ROM in this collection as a zip file.' })),
  virtual_collection_id: Type.Optional(Type.String({ description: 'Download every ROM in this virtual collection as a zip file.' })),
  smart_collection_id: Type.Optional(Type.Integer({ description: 'Download every ROM in this smart collection as a zip file.' })),
  filename: Type.Optional(Type.String({ description: 'Name for the zip file (optional).' })),
});

const Binary = Type.String({ format: 'binary', description: 'File or zip bytes (Range requests give 206).' });

/** Responses of every download route. Bodies are streams; the schema documents them. */
export const downloadResponses = {
  200: Binary,
  206: Binary,
  304: Type.Null({ description: 'Not modified (If-None-Match)' }),
  400: Detail,
  401: Detail,
  403: Detail,
  404: Detail,
  409: Detail,
  416: Detail,
  422: ValidationDetail,
};
