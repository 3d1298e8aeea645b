import { Type, type TSchema } from 'typebox';

/**
 * Query-string helpers with FastAPI's parsing rules: booleans accept true/false, 1/0, yes/no, on/off, t/f, y/n in
 * any case (pydantic), anything else is a 422 with FastAPI's body.
 */

const TRUE_WORDS = ['true', '1', 'yes', 'on', 't', 'y'];
const FALSE_WORDS = ['false', '0', 'no', 'off', 'f', 'n'];

const caseInsensitive = (word: string) =>
  [...word].map((c) => (/[a-z]/.test(c) ? `[${c}${c.toUpperCase()}]` : c)).join('');

const BOOL_PATTERN = `^(${[...TRUE_WORDS, ...FALSE_WORDS].map(caseInsensitive).join('|')})$`;

/** A boolean query parameter; read it with `parseQueryBool`. */
export const QueryBool = (description?: string) =>
  Type.String({ pattern: BOOL_PATTERN, ...(description ? { description } : {}) });

export function parseQueryBool(value: string | undefined): boolean | undefined;
export function parseQueryBool(value: string | undefined, fallback: boolean): boolean;
export function parseQueryBool(value: string | undefined, fallback?: boolean): boolean | undefined {
  if (value === undefined) return fallback;
  const v = value.toLowerCase();
  if (TRUE_WORDS.includes(v)) return true;
  if (FALSE_WORDS.includes(v)) return false;
  throw queryValidationError(value, 'bool_parsing', 'Input should be a valid boolean, unable to interpret input');
}

/** Largest value a 32-bit INTEGER column holds: bigger ids cannot match and must not reach PostgreSQL. */
export const MAX_ID = 2_147_483_647;

export const QueryId = (opts: { minimum?: number; description?: string } = {}) =>
  Type.Integer({ minimum: opts.minimum ?? 1, maximum: MAX_ID, ...(opts.description ? { description: opts.description } : {}) });

/** Repeated key (`x=1&x=2`); a single occurrence is coerced into a one-element list. */
export const QueryList = <T extends TSchema>(item: T) => Type.Array(item, { maxItems: 1000 });

const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

export const QueryDateTime = (description?: string) =>
  Type.String({ maxLength: 64, ...(description ? { description } : {}) });

/** ISO-8601 date or datetime → epoch ms; naive values are UTC. A 422 like FastAPI's otherwise. */
export function parseQueryDateTime(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseIsoDateTime(value);
  if (ms !== null) return ms;
  throw queryValidationError(value, 'datetime_from_date_parsing', 'Input should be a valid datetime', name);
}

/** ISO-8601 date or datetime → epoch ms (naive values are UTC), or null when it is not one. */
export function parseIsoDateTime(value: string): number | null {
  const m = DATETIME_RE.exec(value.trim());
  if (m) {
    const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', tz = 'Z'] = m;
    const zone = tz.toUpperCase() === 'Z' ? 'Z' : tz.includes(':') ? tz : `${tz.slice(0, 3)}:${tz.slice(3)}`;
    const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}.${(frac + '000').slice(0, 3)}${zone}`;
    const ms = Date.parse(iso);
    const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
    if (!Number.isNaN(ms) && check.getUTCDate() === Number(d) && Number(h) < 24 && Number(mi) < 60 && Number(s) < 60) return ms;
  }
  return null;
}

/**
 * An error the app's error handler renders as FastAPI's 422 body (it reads `validation`), for checks a JSON
 * schema cannot express.
 */
export function queryValidationError(input: string, type: string, msg: string, name = ''): Error {
  return Object.assign(new Error(msg), {
    statusCode: 422,
    validationContext: 'querystring',
    validation: [{ keyword: type, instancePath: name ? `/${name}` : '', message: msg, params: { input } }],
  });
}
