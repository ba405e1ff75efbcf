// Server-rendered SVG charts. Each stands beside a data table that says the same thing, so the
// picture is hidden from assistive technology and nothing needs JavaScript. Colours and fonts come
// from classes in the stylesheet or from SVG presentation attributes: the CSP allows no style="".
// SVG has no logical properties, so in right-to-left pages x positions are mirrored here, and text
// is anchored at its start in the page's direction.
import { scaleLinear, scalePoint } from 'd3-scale';
import { line } from 'd3-shape';

export type Direction = 'ltr' | 'rtl';

export interface ChartValue {
  label: string;
  /** Null: not shown (suppressed); no bar or point is drawn. */
  value: number | null;
  /** The value as the table writes it ("12", "< 5"). */
  text: string;
  /** A shorter label for an axis, where the full one would not fit ("Mar" for "Mar 2025")… */
  axis?: string | undefined;
  /** …and a second line under it, e.g. the year where it changes. */
  axisNote?: string | undefined;
}

// Narrow enough that text stays legible when the chart shares the width with its table.
const WIDTH = 480;
/** Room left after the longest bar for its value. */
const VALUE_ROOM = 90;
const ROW = 48;
/** Coordinates to a tenth of a unit: enough on screen, and no 124.00000000000001 in the page. */
const r = (n: number): number => Math.round(n * 10) / 10;

/** Horizontal bars, one row per category: its name above, the bar and its value below. */
export function BarChart({ values, dir }: { values: ChartValue[]; dir: Direction }) {
  const max = Math.max(0, ...values.map((v) => v.value ?? 0));
  const length = scaleLinear().domain([0, max || 1]).range([0, WIDTH - VALUE_ROOM]);
  const x = (at: number, width = 0) => (dir === 'rtl' ? WIDTH - at - width : at);
  const height = values.length * ROW + 4;
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} direction={dir} aria-hidden="true" focusable="false">
      {values.map((v, i) => {
        const top = i * ROW;
        const w = v.value ? Math.max(1, r(length(v.value))) : 0;
        return (
          <g>
            <text class="chart-label" x={x(0)} y={top + 15} text-anchor="start" font-size="15">{v.label}</text>
            {w > 0 && <rect class="chart-bar" x={x(0, w)} y={top + 22} width={w} height={18} />}
            <text class="chart-value" x={x(w + (w > 0 ? 6 : 0))} y={top + 37} text-anchor="start" font-size="14">{v.text}</text>
          </g>
        );
      })}
    </svg>
  );
}

/** A series over time (months): a line with a gap where a value is not shown. */
export function LineChart({ values, dir, tick }: { values: ChartValue[]; dir: Direction; tick: (n: number) => string }) {
  const height = 220;
  const [top, bottom, axis] = [12, 40, 44];
  const max = Math.max(0, ...values.map((v) => v.value ?? 0));
  const y = scaleLinear().domain([0, max || 1]).nice().range([height - bottom, top]);
  // Time runs with the reading direction: right to left in Arabic.
  const plot: [number, number] = dir === 'rtl' ? [WIDTH - axis, 8] : [axis, WIDTH - 8];
  const x = scalePoint<number>().domain(values.map((_, i) => i)).range(plot).padding(0.5);
  const at = (i: number) => r(x(i) ?? 0);
  const yAt = (n: number) => r(y(n));
  const path = line<ChartValue>().defined((v) => v.value !== null).x((_, i) => at(i)).y((v) => yAt(v.value ?? 0))(values) ?? '';
  // One axis label in every `every` points, so that labels never run into each other.
  const every = Math.ceil(values.length / 12);
  const axisX = dir === 'rtl' ? WIDTH - axis + 6 : axis - 6;
  return (
    <svg class="chart" viewBox={`0 0 ${WIDTH} ${height}`} width={WIDTH} height={height} direction={dir} aria-hidden="true" focusable="false">
      {y.ticks(3).filter(Number.isInteger).map((t) => (
        <g>
          <line class="chart-grid" x1={plot[0]} x2={plot[1]} y1={yAt(t)} y2={yAt(t)} />
          {/* "end" in the page's direction: against the plot, on its left in LTR and its right in RTL. */}
          <text class="chart-value" x={axisX} y={yAt(t) + 4} text-anchor="end" font-size="13">{tick(t)}</text>
        </g>
      ))}
      <path class="chart-line" d={path} />
      {values.map((v, i) => v.value !== null && <circle class="chart-point" cx={at(i)} cy={yAt(v.value)} r={3.5} />)}
      {values.map((v, i) => i % every === 0 && <text class="chart-label" x={at(i)} y={height - 22} text-anchor="middle" font-size="13">{v.axis ?? v.label}</text>)}
      {values.map((v, i) => i % every === 0 && v.axisNote && <text class="chart-label" x={at(i)} y={height - 5} text-anchor="middle" font-size="13">{v.axisNote}</text>)}
    </svg>
  );
}
