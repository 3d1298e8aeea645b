/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week), as RomM's `*_CRON` variables take them:
 * `*`, numbers, ranges `a-b`, steps `*\/n` and `a-b/n`, lists, and month and weekday names. As in Vixie cron, when
 * both day fields are restricted a day matching either runs. Times are the server's local time.
 */
export interface CronSchedule {
  readonly source: string;
  /** The first matching minute strictly after `after` (epoch ms); null when none within five years. */
  next(after: number): number | null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec { min: number; max: number; names?: string[]; namesFrom?: number }

const FIELDS: FieldSpec[] = [
  { min: 0, max: 59 },
  { min: 0, max: 23 },
  { min: 1, max: 31 },
  { min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { min: 0, max: 7, names: DAYS, namesFrom: 0 },
];

export class CronError extends Error {}

function value(raw: string, spec: FieldSpec, expr: string): number {
  const named = spec.names?.indexOf(raw.toLowerCase()) ?? -1;
  if (named >= 0) return named + (spec.namesFrom ?? 0);
  if (!/^\d{1,2}$/.test(raw)) throw new CronError(`"${expr}": "${raw}" is not a number`);
  const n = Number(raw);
  if (n < spec.min || n > spec.max) throw new CronError(`"${expr}": ${n} is out of range (${spec.min}-${spec.max})`);
  return n;
}

function parseField(field: string, spec: FieldSpec, expr: string): { set: Set<number>; any: boolean } {
  const set = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^([^/]+)(?:\/(\d{1,2}))?$/.exec(part);
    if (!m) throw new CronError(`"${expr}": "${part}" is not a cron field`);
    const [, range = '', stepText] = m;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new CronError(`"${expr}": a step must be at least 1`);
    let lo: number;
    let hi: number;
    if (range === '*') {
      [lo, hi] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [lo, hi] = [value(a, spec, expr), value(b, spec, expr)];
      if (lo > hi) throw new CronError(`"${expr}": range ${range} runs backwards`);
    } else {
      lo = value(range, spec, expr);
      hi = stepText === undefined ? lo : spec.max;
    }
    for (let v = lo; v <= hi; v += step) set.add(v);
  }
  return { set, any: field === '*' };
}

export function parseCron(expr: string): CronSchedule {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5) throw new CronError(`"${expr}": a cron expression has five fields`);
  const [minute, hour, dom, month, dow] = fields.map((f, i) => parseField(f, FIELDS[i]!, expr)) as [
    ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>, ReturnType<typeof parseField>,
    ReturnType<typeof parseField>,
  ];
  if (dow.set.has(7)) dow.set.add(0);
  const dayMatches = (d: Date): boolean => {
    const byDom = dom.set.has(d.getDate());
    const byDow = dow.set.has(d.getDay());
    if (dom.any && dow.any) return true;
    if (dom.any) return byDow;
    if (dow.any) return byDom;
    return byDom || byDow;
  };
  return {
    source: expr,
    next(after: number): number | null {
      const d = new Date(after);
      d.setSeconds(0, 0);
      d.setMinutes(d.getMinutes() + 1);
      const limit = after + 5 * 366 * 86_400_000;
      while (d.getTime() <= limit) {
        if (!month.set.has(d.getMonth() + 1)) {
          d.setMonth(d.getMonth() + 1, 1);
          d.setHours(0, 0, 0, 0);
        } else if (!dayMatches(d)) {
          d.setDate(d.getDate() + 1);
          d.setHours(0, 0, 0, 0);
        } else if (!hour.set.has(d.getHours())) {
          d.setHours(d.getHours() + 1, 0, 0, 0);
        } else if (!minute.set.has(d.getMinutes())) {
          d.setMinutes(d.getMinutes() + 1, 0, 0);
        } else {
          return d.getTime();
        }
      }
      return null;
    },
  };
}

/**
 * Runs `task` at every time the schedule names, never two at once (a run still going when the next time comes skips
 * that time). Timers are unref'd: they never keep the process alive.
 */
export function scheduleCron(schedule: CronSchedule, task: () => Promise<unknown>, onError: (err: unknown) => void, now: () => number = Date.now): { stop(): void } {
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let running = false;
  const arm = () => {
    if (stopped) return;
    const at = schedule.next(now());
    if (at === null) return;
    // setTimeout holds at most 2^31-1 ms; a farther time is reached in steps.
    const wait = Math.min(Math.max(at - now(), 0), 2_147_483_647);
    timer = setTimeout(() => {
      if (now() < at) {
        arm();
        return;
      }
      if (!running) {
        running = true;
        task().catch(onError).finally(() => {
          running = false;
        });
      }
      arm();
    }, wait);
    timer.unref();
  };
  arm();
  return {
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
