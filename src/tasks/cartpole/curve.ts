/**
 * Learning-curve records of cartpole runs: the `curve.csv` format
 * (`episode,steps,outcome,ema`) and the summary numbers of the seed tables.
 */
import { FileFormatError } from '../../core/errors.ts';
import { OUTCOMES, type EpisodeRecord, type Outcome } from './protocol.ts';

/** One row of curve.csv. */
export type CurvePoint = Pick<EpisodeRecord, 'episode' | 'steps' | 'outcome' | 'ema'>;

export const CURVE_HEADER = 'episode,steps,outcome,ema';

/** One CSV line (no newline). The EMA keeps 4 decimals. */
export function curveRow(p: CurvePoint): string {
  return `${p.episode},${p.steps},${p.outcome},${p.ema.toFixed(4)}`;
}

/** A whole curve.csv, header included, ending with a newline. */
export function curveCsv(points: readonly CurvePoint[]): string {
  return `${[CURVE_HEADER, ...points.map(curveRow)].join('\n')}\n`;
}

/** Parses curve.csv text; a file cut off mid-line (an interrupted write) loses only that line. */
export function parseCurveCsv(text: string, source = 'curve.csv'): CurvePoint[] {
  const lines = text.split(/\r?\n/);
  if (lines[0].trim() !== CURVE_HEADER) {
    throw new FileFormatError(`${source}: the first line must be '${CURVE_HEADER}', got '${lines[0]}'.`);
  }
  const out: CurvePoint[] = [];
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const f = line.split(',');
    const last = i === lines.length - 1;
    const bad = (why: string): never => {
      throw new FileFormatError(`${source}, line ${i + 1}: ${why} ('${line}').`);
    };
    if (f.length !== 4) {
      if (last) break;
      bad('expected 4 fields');
    }
    const [episode, steps, ema] = [Number(f[0]), Number(f[1]), Number(f[3])];
    if (!Number.isInteger(episode) || !Number.isInteger(steps) || !Number.isFinite(ema)) bad('episode and steps must be integers and ema a number');
    if (!OUTCOMES.includes(f[2] as Outcome)) bad(`outcome must be one of ${OUTCOMES.join(', ')}`);
    out.push({ episode, steps, outcome: f[2] as Outcome, ema });
  }
  return out;
}

/** The seed-table numbers of one run. Episodes are 0-based; null when never reached. */
export interface CurveSummary {
  episodes: number;
  finalEma: number;
  firstEma195: number | null;
  firstEma475: number | null;
  truncated: number;
  poleFell: number;
  outOfBounds: number;
}

export function summarizeCurve(points: readonly CurvePoint[]): CurveSummary {
  const first = (t: number): number | null => points.find((p) => p.ema >= t)?.episode ?? null;
  const count = (o: Outcome): number => points.filter((p) => p.outcome === o).length;
  return {
    episodes: points.length,
    finalEma: points.length ? points[points.length - 1].ema : 0,
    firstEma195: first(195),
    firstEma475: first(475),
    truncated: count('truncated'),
    poleFell: count('pole_fell'),
    outOfBounds: count('out_of_bounds'),
  };
}
