/**
 * The learning-curve plot of the cartpole tutorial, as a Vega-Lite spec rendered to SVG with
 * Vega's headless view: episode length per episode (dotted), its EMA (purple line), and one
 * marker per episode by outcome — red × pole fell, orange ▼ out of bounds, green ★ truncated.
 * (The tutorial's legend swaps the first two markers; here legend and markers share one scale.)
 */
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { CurvePoint } from './curve.ts';
import type { Outcome } from './protocol.ts';

/** Matplotlib's tab10 colours, as in the tutorial's figure. */
const TAB = { blue: '#1f77b4', orange: '#ff7f0e', green: '#2ca02c', red: '#d62728', purple: '#9467bd' };
/** A × and a five-pointed star as SVG paths in Vega's unit symbol box. */
const CROSS_X = 'M-1,-1L1,1M-1,1L1,-1';
const STAR =
  'M0,-1L0.2245,-0.309L0.9511,-0.309L0.3633,0.118L0.5878,0.809L0,0.382L-0.5878,0.809L-0.3633,0.118L-0.9511,-0.309L-0.2245,-0.309Z';

const LABELS: Record<Outcome, string> = { pole_fell: 'Pole fell', out_of_bounds: 'Out of bounds', truncated: 'Truncated' };

export interface LearningCurveOptions {
  title?: string;
  /** x-axis extent in episodes (default: the number of points). */
  episodes?: number;
  /** y-axis maximum (default 500, the truncation length). */
  maxSteps?: number;
  width?: number;
  height?: number;
  /** Font family of all text (the PNG renderer needs an installed font by this name). */
  font?: string;
}

/** The Vega-Lite spec of the learning curve. */
export function learningCurveSpec(points: readonly CurvePoint[], o: LearningCurveOptions = {}): TopLevelSpec {
  const episodes = Math.max(o.episodes ?? points.length, 1);
  const maxSteps = o.maxSteps ?? 500;
  const font = o.font ?? 'DejaVu Sans';
  const values = points.map((p) => ({ episode: p.episode, steps: p.steps, ema: p.ema, outcome: LABELS[p.outcome] }));
  // Margins of 1/30 of the range (the tutorial's −5 … 155 for 150 episodes).
  const pad = Math.max(0.5, episodes / 30);
  const first = points.length ? points[0].episode : 0;
  const x = {
    field: 'episode',
    type: 'quantitative' as const,
    title: 'Episode',
    scale: { domain: [first - pad, first + episodes - 1 + pad], nice: false, zero: false },
    axis: { format: 'd', tickMinStep: 1 },
  };
  const outcomeOrder: Outcome[] = ['pole_fell', 'out_of_bounds', 'truncated'];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: o.title ? { text: o.title, font, fontSize: 14 } : undefined,
    width: o.width ?? 800,
    height: o.height ?? 300,
    background: 'white',
    data: { values },
    config: {
      font,
      view: { stroke: null },
      axis: { titleFontWeight: 'bold', titleFontSize: 12, labelFontSize: 11, gridOpacity: 0.2, domainColor: '#000', tickColor: '#000' },
      legend: { labelFontSize: 11, titleFontSize: 11, strokeColor: '#ccc', padding: 6, cornerRadius: 3, fillColor: 'white' },
    },
    layer: [
      {
        mark: { type: 'line', strokeDash: [1, 3], strokeWidth: 1.5, color: TAB.blue, opacity: 0.6 },
        encoding: { x, y: { field: 'steps', type: 'quantitative', title: '# Steps', scale: { domain: [-5, maxSteps + 5], nice: false } } },
      },
      {
        mark: { type: 'line', color: TAB.purple, opacity: 0.8, strokeWidth: 2 },
        encoding: { x, y: { field: 'ema', type: 'quantitative' } },
      },
      {
        mark: { type: 'point', size: 40, filled: false, strokeWidth: 1.5, opacity: 1 },
        encoding: {
          x,
          y: { field: 'steps', type: 'quantitative' },
          shape: {
            field: 'outcome',
            type: 'nominal',
            title: null,
            scale: { domain: outcomeOrder.map((k) => LABELS[k]), range: [CROSS_X, 'triangle-down', STAR] },
            legend: { orient: 'top-left', offset: 8 },
          },
          color: {
            field: 'outcome',
            type: 'nominal',
            title: null,
            scale: { domain: outcomeOrder.map((k) => LABELS[k]), range: [TAB.red, TAB.orange, TAB.green] },
          },
          // Filled triangle and star, stroked cross (as matplotlib draws them).
          fill: {
            field: 'outcome',
            type: 'nominal',
            title: null,
            scale: { domain: outcomeOrder.map((k) => LABELS[k]), range: ['transparent', TAB.orange, TAB.green] },
          },
        },
      },
    ],
  } as TopLevelSpec;
}

/** Renders the learning curve to an SVG string (no browser or canvas needed). */
export async function learningCurveSvg(points: readonly CurvePoint[], o: LearningCurveOptions = {}): Promise<string> {
  const vg = compile(learningCurveSpec(points, o)).spec;
  const view = new View(parse(vg), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
