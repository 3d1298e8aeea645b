import { WHOLE, type RaCartridgeRule } from './types.ts';

/**
 * Systems rcheevos hashes as the whole file (rc_hash_whole_file / rc_hash_buffer, first 64 MiB): Game Boy, Color
 * and Advance, Mega Drive, Master System, Game Gear, 32X, SG-1000, Atari 2600 and Jaguar, ColecoVision,
 * Intellivision, Neo Geo Pocket, Virtual Boy, WonderSwan and the other consoles of rc_hash_from_buffer's plain list.
 * For these the RA hash is the file's MD5 whenever the file is at most 64 MiB.
 */
export const wholeRule: RaCartridgeRule = {
  consoles: [
    1, // Mega Drive / Genesis
    4, 5, 6, // Game Boy, Game Boy Advance, Game Boy Color
    10, // 32X
    11, // Master System
    14, // Neo Geo Pocket
    15, // Game Gear
    17, // Jaguar
    23, // Odyssey 2
    24, // Pokemon Mini
    25, // Atari 2600
    28, // Virtual Boy
    29, // MSX
    33, // SG-1000
    37, // Amstrad CPC
    38, // Apple II
    44, // ColecoVision
    45, // Intellivision
    46, // Vectrex
    47, // PC-8800
    53, // WonderSwan
    57, // Fairchild Channel F
    63, // Supervision
    69, // Mega Duck
    72, // WASM-4
    73, // Arcadia 2001
    74, // Interton VC 4000
    75, // Elektor TV Games Computer
    80, // Uzebox
  ],
  plan: () => WHOLE,
};
