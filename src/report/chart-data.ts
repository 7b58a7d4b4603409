import { shortId } from './format.ts';
import type { ChartMark, ComponentSeries, SeriesPoint, VersionSeries } from './series.ts';

type Metric = 'errorRate' | 'p50' | 'p95';

/** One line of a chart: one metric of one version, aligned on the chart's x values (null: no figure). */
export interface ChartLine {
  label: string;
  role: VersionSeries['role'];
  version: string;
  metric: Metric;
  values: Array<number | null>;
}

/**
 * What a chart draws, ready for uPlot's columnar data (`[x, ...lines.map(l => l.values)]`): x in seconds since
 * the epoch (uPlot's time unit), the marks in the same unit.
 */
export interface ChartSpec {
  id: string;
  title: string;
  unit: '%' | 'ms';
  x: number[];
  lines: ChartLine[];
  marks: ChartMark[];
}

/**
 * Two charts per component: error rate (%) and latency (p50 and p95, ms), a line per version. A window in
 * which a version served no request is a gap, not a zero: it has no error rate and no latency. A component
 * without figures has no chart.
 * @example const specs = chartSpecs(releaseSeries(events)) // [errors, latency] per component
 */
export function chartSpecs(series: ComponentSeries[]): ChartSpec[] {
  return series
    .filter((c) => c.versions.length > 0)
    .flatMap((c, i) => {
      const x = [...new Set(c.versions.flatMap((v) => v.points.map((p) => p.t)))].sort((a, b) => a - b);
      const prefix = c.component ? `${c.component}: ` : '';
      const marks = c.marks.map((m) => ({ ...m, t: m.t / 1000 }));
      const seconds = x.map((t) => t / 1000);
      const line = (v: VersionSeries, metric: Metric, scale: number): ChartLine => {
        const at = new Map(v.points.map((p) => [p.t, p]));
        return {
          label: `${v.role} ${shortId(v.version)}${metric === 'errorRate' ? '' : ` ${metric}`}`,
          role: v.role,
          version: v.version,
          metric,
          values: x.map((t) => figure(at.get(t), metric, scale)),
        };
      };
      return [
        {
          id: `errors-${i}`,
          title: `${prefix}error rate`,
          unit: '%' as const,
          x: seconds,
          lines: c.versions.map((v) => line(v, 'errorRate', 100)),
          marks,
        },
        {
          id: `latency-${i}`,
          title: `${prefix}latency p50 / p95`,
          unit: 'ms' as const,
          x: seconds,
          lines: c.versions.flatMap((v) => [line(v, 'p50', 1), line(v, 'p95', 1)]),
          marks,
        },
      ];
    });
}

/** Figures a line holds (its points): the test of a drawn chart compares them with the journal. */
export function pointCount(line: ChartLine): number {
  return line.values.filter((v) => v !== null).length;
}

function figure(p: SeriesPoint | undefined, metric: Metric, scale: number): number | null {
  if (!p || p.requests === 0) return null;
  return p[metric] * scale;
}
