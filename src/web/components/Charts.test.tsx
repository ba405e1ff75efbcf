import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { BarChart, LineChart } from './Charts.js';

const values = [{ label: 'A', value: 20, text: '20' }, { label: 'B', value: 10, text: '10' }, { label: 'C', value: null, text: '< 5' }];
const rects = (svg: string) => [...svg.matchAll(/<rect class="chart-bar" x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => ({ x: Number(m[1]), width: Number(m[2]) }));

describe('BarChart', () => {
  it('draws bars in proportion, none for a value not shown, and no style attribute', () => {
    const svg = renderToString(<BarChart values={values} dir="ltr" />);
    expect(rects(svg)).toEqual([{ x: 0, width: 390 }, { x: 0, width: 195 }]);
    expect(svg).toContain('>&lt; 5</text>');
    expect(svg).toContain('aria-hidden="true"');
    expect(svg).not.toContain('style=');
  });

  it('mirrors in right-to-left pages: bars grow from the right edge, text anchored there', () => {
    const svg = renderToString(<BarChart values={values} dir="rtl" />);
    expect(rects(svg)).toEqual([{ x: 90, width: 390 }, { x: 285, width: 195 }]);
    expect(svg).toContain('direction="rtl"');
    expect(svg).toContain('<text class="chart-label" x="480" y="15" text-anchor="start"');
  });

  it('gives the smallest non-zero value a visible bar and zero none', () => {
    const svg = renderToString(<BarChart values={[{ label: 'A', value: 10_000, text: '' }, { label: 'B', value: 1, text: '' }, { label: 'C', value: 0, text: '0' }]} dir="ltr" />);
    expect(rects(svg).map((r) => r.width)).toEqual([390, 1]);
  });
});

describe('LineChart', () => {
  it('leaves a gap where a value is not shown, and runs right to left in Arabic', () => {
    const months = [{ label: 'Jan', value: 8, text: '8' }, { label: 'Feb', value: null, text: '< 5' }, { label: 'Mar', value: 12, text: '12' }, { label: 'Apr', value: 6, text: '6' }];
    const ltr = renderToString(<LineChart values={months} dir="ltr" tick={String} />);
    // Two pieces: January alone, then March to April.
    expect(ltr.match(/d="([^"]+)"/)![1]!.match(/M/g)).toHaveLength(2);
    expect((ltr.match(/<circle/g) ?? []).length).toBe(3);
    const x = (svg: string, label: string) => Number(svg.match(new RegExp(`x="([\\d.]+)"[^>]*>${label}<`))![1]);
    expect(x(ltr, 'Jan')).toBeLessThan(x(ltr, 'Apr'));
    const rtl = renderToString(<LineChart values={months} dir="rtl" tick={String} />);
    expect(x(rtl, 'Jan')).toBeGreaterThan(x(rtl, 'Apr'));
    expect(rtl).not.toContain('style=');
  });
});
