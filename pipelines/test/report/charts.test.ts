import { describe, expect, it } from 'vitest';
import { bakeChart } from '../../src/report/bake-chart';
import { mermaidChart } from '../../src/report/mermaid-chart';
import { svgChart } from '../../src/report/svg-chart';
import { at, rolledBackRecord, T0 } from './release-fixture';

const versions = { canary: 'v2', baseline: 'v1' };

/** The chart a test parses back: one latency series over a rolled-back release. */
function p99Series() {
  const chart = bakeChart(rolledBackRecord());
  const series = chart.series.find((s) => s.metric === 'p99 latency');
  if (!series) throw new Error('no p99 series');
  return { chart, series };
}

describe('the latency chart over the bake', () => {
  it('takes one point per poll with figures, the steps’ starts and the moment of decision', () => {
    const { chart, series } = p99Series();
    expect(chart.series.map((s) => s.metric)).toEqual(['p99 latency']);
    expect(series.points.map((p) => [(p.at - T0) / 1000, p.step, p.canary, p.baseline, p.threshold])).toEqual(
      [
        [60, 0, 300, 300, 360],
        [300, 0, 310, 305, 366],
        [330, 1, 380, 305, 366],
        [360, 1, 412, 305, 366],
      ],
    );
    expect(chart.boundaries).toEqual([
      { at: T0, step: 0, weight: 10 },
      { at: at(300), step: 1, weight: 50 },
    ]);
    expect(chart.decision).toEqual({ at: at(360), label: 'rolled back' });
  });

  it('in the job summary: a mermaid xychart whose labels mark the step start and the decision', () => {
    const { chart, series } = p99Series();
    const block = mermaidChart(chart, series);
    const lines = block.split('\n');
    expect(lines[0]).toBe('```mermaid');
    expect(lines.at(-1)).toBe('```');
    expect(lines).toContain('xychart-beta');
    const axis = lines.find((l) => l.trim().startsWith('x-axis')) ?? '';
    const labels = [...axis.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
    expect(labels).toEqual(['minutes since the start', '1:00', '5:00', '5:30 · 50%', '6:00 · rolled back']);
    expect(lines.find((l) => l.trim().startsWith('y-axis'))?.trim()).toBe(
      'y-axis "p99 latency (ms)" 0 --> 500',
    );
    const data = lines.filter((l) => l.trim().startsWith('line')).map((l) => JSON.parse(l.trim().slice(5)));
    expect(data).toEqual([
      [300, 310, 380, 412],
      [300, 305, 305, 305],
      [360, 366, 366, 366],
    ]);
  });

  it('in the HTML report: inline SVG with a title, a description, the series and the vertical rules', () => {
    const { chart, series } = p99Series();
    const svg = svgChart(chart, series, versions, 'c1');
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" [^>]*role="img" aria-labelledby="c1-title c1-desc">/,
    );
    expect(svg).toContain('<title id="c1-title">p99 latency over the bake: v2 (new) vs v1 (current)</title>');
    expect(svg).toContain(
      '<desc id="c1-desc">p99 latency of v2 (new, red) and v1 (current, blue), the limit in grey, minutes since the start; step 1 at 10% from 0:00, step 2 at 50% from 5:00, rolled back at 6:00.</desc>',
    );
    const points = (kind: string) =>
      new RegExp(`<polyline class="${kind}"[^>]* points="([^"]+)"`).exec(svg)?.[1]?.split(' ');
    // 6 minutes across 560 px from x = 56; 0–500 ms up 200 px from y = 228.
    expect(points('canary')).toEqual(['149.3,108', '522.7,104', '569.3,76', '616,63.2']);
    expect(points('baseline')).toEqual(['149.3,108', '522.7,106', '569.3,106', '616,106']);
    expect(points('limit')).toEqual(['149.3,84', '522.7,81.6', '569.3,81.6', '616,81.6']);
    const rules = [
      ...svg.matchAll(/<line class="step-start" data-step="(\d)" data-weight="(\d+)" x1="([\d.]+)"/g),
    ];
    expect(rules.map((m) => [m[1], m[2], m[3]])).toEqual([
      ['1', '10', '56'],
      ['2', '50', '522.7'],
    ]);
    expect(svg).toMatch(/<line class="decision" x1="616" [^>]*\/><text [^>]*>rolled back<\/text>/);
    expect(svg).toContain('>minutes since the start</text>');
    expect(svg).toContain('>p99 latency (ms)</text>');
  });
});
