import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartProps {
  /** What the chart shows, for screen readers (the table under it has the numbers). */
  label: string;
  kind: 'line' | 'bars';
  /** x values (epoch seconds for a line over time; 0..n-1 for bars). */
  x: number[];
  series: { label: string; values: number[]; color: string }[];
  /** Labels of the bars' x positions. */
  categories?: string[];
  width?: number;
  height?: number;
  testId?: string;
}

/** A uPlot chart on a canvas: a line over time or bars over categories. */
export function Chart({ label, kind, x, series, categories, width, height = 220, testId }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const bars = kind === 'bars' ? uPlot.paths.bars!({ size: [0.6, 60] }) : undefined;
    const options: uPlot.Options = {
      // The panel's own width: two charts side by side fit a 1280 px desk without scrolling sideways.
      width: width ?? Math.max(280, box.current.clientWidth),
      height,
      // Officers read Beijing time whatever the workstation's zone.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Asia/Shanghai'),
      legend: { show: series.length > 1 },
      cursor: { show: kind === 'line' },
      scales: {
        x: kind === 'bars' ? { time: false, range: [-0.5, Math.max(0.5, x.length - 0.5)] } : { time: true },
        y: { range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] },
      },
      axes: [
        kind === 'bars'
          ? {
              splits: () => x,
              values: (_u, splits) => splits.map((s) => categories?.[s] ?? ''),
              gap: 6,
            }
          : {},
        { values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? String(s) : '')) },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: kind === 'bars' ? s.color : `${s.color}22`,
          width: kind === 'bars' ? 0 : 2,
          ...(bars && { paths: bars, points: { show: false } }),
        })),
      ],
    };
    const data: uPlot.AlignedData = [x, ...series.map((s) => s.values)];
    const plot = new uPlot(options, data, box.current);
    return () => plot.destroy();
  }, [kind, x, series, categories, width, height]);
  return <div ref={box} className="chart" role="img" aria-label={label} data-testid={testId} />;
}
