/** Human-readable byte count (binary units, as file managers show them). */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

export function formatCount(n: number | null | undefined): string {
  return n === null || n === undefined ? '—' : n.toLocaleString('en-US');
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '—' : d.toISOString().slice(0, 10);
}

/** Stable hue (0-359) for a string, so a ROM's placeholder keeps its colour. */
export function hueOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % 360;
}

/** Two-letter flag-like badge for a region name (`USA` → `US`, `Europe` → `EU`). */
const REGION_CODES: Record<string, string> = {
  USA: 'US', Europe: 'EU', Japan: 'JP', World: 'WO', Korea: 'KR', China: 'CN', Brazil: 'BR', Australia: 'AU',
  France: 'FR', Germany: 'DE', Spain: 'ES', Italy: 'IT', Asia: 'AS', Canada: 'CA', Netherlands: 'NL', Sweden: 'SE',
  Taiwan: 'TW', 'Hong Kong': 'HK', Russia: 'RU', 'United Kingdom': 'UK',
};
export function regionBadge(region: string): string {
  return REGION_CODES[region] ?? region.slice(0, 2).toUpperCase();
}

/** Milliseconds-epoch or ISO release date as a year. */
export function releaseYear(ms: number | null | undefined): string {
  return ms ? String(new Date(ms).getUTCFullYear()) : '';
}
