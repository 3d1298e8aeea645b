/** Readers for one environment variable each: a missing or blank value gives the default, a bad one a ConfigError. */

export class ConfigError extends Error {}

export type Env = Record<string, string | undefined>;

export function str(env: Env, name: string, fallback: string): string {
  const v = env[name]?.trim();
  return v ? v : fallback;
}

export function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  return optionalInt(env, name, min, max) ?? fallback;
}

/** A whole number in [min, max], or null when unset. */
export function optionalInt(env: Env, name: string, min: number, max: number): number | null {
  const raw = env[name]?.trim();
  if (!raw) return null;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name}="${raw}" is not a whole number`);
  const v = Number(raw);
  if (v < min || v > max) throw new ConfigError(`${name}=${raw} is out of range (${min}..${max})`);
  return v;
}

const TRUE = new Set(['1', 'true', 'yes', 'on']);
const FALSE = new Set(['0', 'false', 'no', 'off']);

export function bool(env: Env, name: string, fallback: boolean): boolean {
  return optionalBool(env, name) ?? fallback;
}

/** true or false, or null when unset (another source then decides). */
export function optionalBool(env: Env, name: string): boolean | null {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return null;
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw new ConfigError(`${name}="${env[name]}" must be true or false`);
}

export function oneOf(env: Env, name: string, fallback: string, allowed: string[]): string {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (!allowed.includes(raw)) throw new ConfigError(`${name}="${raw}" must be one of ${allowed.join(', ')}`);
  return raw;
}

/** Comma-separated items, trimmed, empty ones dropped. */
export function list(env: Env, name: string): string[] {
  return (env[name] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}
