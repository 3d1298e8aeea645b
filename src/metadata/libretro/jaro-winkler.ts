/**
 * Jaro-Winkler similarity as RomM computes it (strsimpy's JaroWinkler, threshold 0.7): the prefix bonus is
 * min(0.1, 1 / longer length) per common leading character, with no cap on the prefix length, and only when the
 * Jaro score is above 0.7. Kept exact so a fuzzy libretro match picks the file RomM would pick.
 */

const THRESHOLD = 0.7;
const COEF = 0.1;

let flags = new Uint8Array(256);
let indexes = new Int32Array(256);

export function jaroWinkler(s0: string, s1: string): number {
  if (s0 === s1) return 1;
  const [maxStr, minStr] = s0.length > s1.length ? [s0, s1] : [s1, s0];
  const range = Math.max(Math.trunc(maxStr.length / 2 - 1), 0);
  if (flags.length < maxStr.length) flags = new Uint8Array(maxStr.length * 2);
  if (indexes.length < minStr.length) indexes = new Int32Array(minStr.length * 2);
  flags.fill(0, 0, maxStr.length);
  let matches = 0;
  for (let mi = 0; mi < minStr.length; mi++) {
    indexes[mi] = -1;
    const c = minStr.charCodeAt(mi);
    const end = Math.min(mi + range + 1, maxStr.length);
    for (let xi = Math.max(mi - range, 0); xi < end; xi++) {
      if (flags[xi] === 0 && c === maxStr.charCodeAt(xi)) {
        indexes[mi] = xi;
        flags[xi] = 1;
        matches++;
        break;
      }
    }
  }
  if (matches === 0) return 0;
  // Matched characters in the order of each string; a transposition is a position where they differ.
  let transpositions = 0;
  let xi = 0;
  for (let mi = 0; mi < minStr.length; mi++) {
    if (indexes[mi] === -1) continue;
    while (flags[xi] === 0) xi++;
    if (minStr.charCodeAt(mi) !== maxStr.charCodeAt(xi)) transpositions++;
    xi++;
  }
  let prefix = 0;
  while (prefix < minStr.length && s0.charCodeAt(prefix) === s1.charCodeAt(prefix)) prefix++;
  const t = Math.trunc(transpositions / 2);
  const j = (matches / s0.length + matches / s1.length + (matches - t) / matches) / 3;
  return j > THRESHOLD ? j + Math.min(COEF, 1 / maxStr.length) * prefix * (1 - j) : j;
}

/**
 * An upper bound of jaroWinkler(a, b) from the lengths, an upper bound of the matching characters and the exact
 * common prefix, so a search can skip candidates that cannot win without computing them.
 */
export function jaroWinklerBound(aLen: number, bLen: number, maxMatches: number, prefix: number): number {
  const m = Math.min(maxMatches, aLen, bLen);
  if (m === 0) return 0;
  const jMax = (m / aLen + m / bLen + 1) / 3;
  if (jMax <= THRESHOLD) return jMax;
  const boost = Math.min(COEF, 1 / Math.max(aLen, bLen)) * prefix;
  // j + boost·(1 − j) grows with j when boost ≤ 1 and shrinks otherwise (then its supremum is at j → 0.7).
  return boost <= 1 ? jMax + boost * (1 - jMax) : THRESHOLD + boost * (1 - THRESHOLD);
}
