import type { Aggregate, GateSummary, Share } from './aggregate';
import { isShapeCell } from './cells';
import { BAKE_SECONDS, GATE_NAMES, MAX_BAKE_SECONDS, OBJECTIVES } from './release';
import { LATENCY_LABELS } from './shapes';
import type { Cell, Scenario } from './traffic';

const TITLES: Record<Scenario, string> = {
  healthy:
    'Healthy releases rolled back for any reason (a fail, or undecided at the 30-minute maximum bake), 95% interval · of which false fails',
  slow20: '+20% (every canary request 20% slower): time to detect / canary samples used / missed / promoted',
  slow50: '+50% (every canary request 50% slower)',
  p99only: 'p99-only regression (the slowest 2% of canary requests 1.5× slower: p99 +50%, p50 unchanged)',
  slow5: '+5% (every canary request 5% slower)',
};

export function cellLabel(cell: Cell): string {
  const drift = cell.drift === 'sine' ? '' : ` · ${cell.drift} drift`;
  const arrivals = cell.arrivals === 'poisson' ? '' : ` · ${cell.arrivals}`;
  return `${cell.rate}/s · ${cell.canaryShare * 100}% · ${LATENCY_LABELS[cell.latency]}${drift}${arrivals} · ${cell.sampling}`;
}

function pct(value: number): string {
  return `${(value * 100).toFixed(value < 0.1 ? 2 : 1)}%`;
}

function duration(seconds: number | null): string {
  if (seconds === null) return '—';
  return seconds < 60 ? `${seconds}s` : `${Number((seconds / 60).toFixed(1))}m`;
}

function samples(value: number | null): string {
  return value === null ? '—' : String(value);
}

function withInterval(share: Share): string {
  return `${pct(share.rate)} [${pct(share.interval[0])}–${pct(share.interval[1])}]`;
}

function healthy(g: GateSummary): string {
  return `${withInterval(g.rolledBack)} · ${pct(g.failed.rate)}`;
}

function detection(g: GateSummary): string {
  return `${duration(g.medianSeconds)}/${duration(g.p95Seconds)} · ${samples(g.medianSamples)}/${samples(g.p95Samples)} · ${pct(g.missedInBake.rate)} · ${pct(g.promoted.rate)}`;
}

export function renderTable(
  aggregates: readonly Aggregate[],
  scenario: Scenario,
  filter?: (cell: Cell) => boolean,
): string {
  const rows = aggregates.filter((a) => a.scenario === scenario && (!filter || filter(a.cell)));
  const header = `| cell (rate · canary share · latency · sampling) | runs | ${GATE_NAMES.join(' | ')} |`;
  const lines = [header, `|---|---:|${GATE_NAMES.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const cells = row.gates.map((g) => (scenario === 'healthy' ? healthy(g) : detection(g)));
    lines.push(`| ${cellLabel(row.cell)} | ${row.gates[0]?.runs ?? 0} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export interface Meta {
  command: string;
  quick: boolean;
  elapsedSeconds: number;
  workers: number;
  cpu: { firstCallMs: number; oneShotMs: number; streamedMsPer100k: number; stateBytesNote: string };
}

/**
 * results.json: the run's facts and every aggregate, fractions to 4 significant figures, laid out as
 * the repository's formatter lays JSON out (what fits in 110 columns on one line), so it stays small.
 */
export function renderJson(aggregates: readonly Aggregate[], meta: Meta): string {
  return `${layout({ meta, aggregates }, '', '')}\n`;
}

const LINE_WIDTH = 110;

function rounded(value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(4)) : value;
}

function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, v]) => `${JSON.stringify(key)}: ${inline(v)}`);
    return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
  }
  return JSON.stringify(rounded(value));
}

/** `value` after `prefix` (indentation and key) on a line ending in `suffix` (a comma or nothing). */
function layout(value: unknown, indent: string, suffix: string, key = ''): string {
  const one = inline(value);
  if (
    typeof value !== 'object' ||
    value === null ||
    indent.length + key.length + one.length + suffix.length <= LINE_WIDTH
  )
    return one;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    const items = value.map((v, i) => `${inner}${layout(v, inner, i < value.length - 1 ? ',' : '')}`);
    return `[\n${items.join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value);
  const lines = entries.map(([k, v], i) => {
    const name = `${JSON.stringify(k)}: `;
    return `${inner}${name}${layout(v, inner, i < entries.length - 1 ? ',' : '', name)}`;
  });
  return `{\n${lines.join(',\n')}\n${indent}}`;
}

export function renderMarkdown(aggregates: readonly Aggregate[], meta: Meta): string {
  const parts = [
    '# Judge benchmark',
    '',
    `Reproduce with \`${meta.command}\`${meta.quick ? ' (this was a --quick smoke run)' : ''}; ${meta.elapsedSeconds} s on ${meta.workers} worker(s).`,
    '',
    `Tollgate's policy: p50Increase ${OBJECTIVES.latency?.p50Increase}, p99Increase ${OBJECTIVES.latency?.p99Increase}, ` +
      `maxRateIncrease ${OBJECTIVES.errors?.maxRateIncrease}, minSamples ${OBJECTIVES.minSamples}, alpha 0.01; polls every 30 s; bake ${BAKE_SECONDS / 60} min, ` +
      `extended up to ${MAX_BAKE_SECONDS / 60} min while undecided, then rolled back (a gate promotes at the first poll from ${BAKE_SECONDS / 60} min on at which it passes).`,
    'Gates: **static alarm** = canary p99 over 60 s periods, 3 of 3 above 1.1 × the pre-release baseline p99 (reads every request, as CloudWatch metrics do); ' +
      "**Kayenta** = NetflixACAJudge's Mann-Whitney rule (98% interval, lower end > 0.25 × |HL estimate| → High → score 0 < 75 → fail), re-run every poll over the step so far against a matched baseline; " +
      "**Tollgate** = `createSequentialJudge` reading the canary's traces and up to 10 baseline traces per canary trace (at most 300/s).",
    'Healthy cells read `rolled back for any reason [95% interval] · false fails`. ' +
      'Detection cells read `median/p95 time to the fail · median/p95 canary samples used · not failed within the 15-minute bake · promoted`; a quantile that falls on a release that never failed reads —.',
    '',
    `Judge CPU: ${meta.cpu.firstCallMs} ms for the first 100,000 samples in a fresh process; ${meta.cpu.oneShotMs} ms for 100,000 samples in one poll once warm; ${meta.cpu.streamedMsPer100k} ms per 100,000 when streamed over 100 polls. Memory: ${meta.cpu.stateBytesNote}.`,
    '',
  ];
  const original = (cell: Cell) => !isShapeCell(cell);
  for (const scenario of ['healthy', 'slow20', 'slow50', 'p99only', 'slow5'] as const) {
    parts.push(`## ${TITLES[scenario]}`, '', renderTable(aggregates, scenario, original), '');
  }
  if (aggregates.some((a) => isShapeCell(a.cell))) {
    parts.push('# Further traffic shapes', '');
    for (const scenario of ['healthy', 'slow20', 'slow50', 'p99only', 'slow5'] as const) {
      parts.push(`## ${TITLES[scenario]}`, '', renderTable(aggregates, scenario, isShapeCell), '');
    }
  }
  return `${parts.join('\n')}\n`;
}

/** Median time to detect +20% per cell, three bars per cell; a miss is drawn full height, hollow. */
export function renderSvg(aggregates: readonly Aggregate[]): string {
  const rows = aggregates.filter((a) => a.scenario === 'slow20' && !isShapeCell(a.cell));
  const colours = ['#d62728', '#ff7f0e', '#1f77b4'];
  const barWidth = 6;
  const group = barWidth * 3 + 6;
  const left = 60;
  const top = 40;
  const height = 260;
  const width = left + rows.length * group + 110; // room for the last rotated label
  const y = (seconds: number) => top + height - (height * seconds) / MAX_BAKE_SECONDS;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${top + height + 175}" font-family="sans-serif" font-size="10">`,
    '<title>Median time to detect a +20% latency regression, per cell, for the static alarm, Kayenta and Tollgate</title>',
    `<text x="${left}" y="20" font-size="13">Median time to detect +20% (lower is better; hollow = no fail in most releases)</text>`,
  ];
  for (let minute = 0; minute <= MAX_BAKE_SECONDS / 60; minute += 5) {
    const yy = y(minute * 60);
    out.push(`<line x1="${left - 4}" x2="${width - 10}" y1="${yy}" y2="${yy}" stroke="#ddd"/>`);
    out.push(`<text x="${left - 8}" y="${yy + 3}" text-anchor="end">${minute}m</text>`);
  }
  rows.forEach((row, index) => {
    const x0 = left + index * group;
    row.gates.forEach((g, gi) => {
      const seconds = g.medianSeconds ?? MAX_BAKE_SECONDS;
      const x = x0 + gi * barWidth;
      const fill = g.medianSeconds === null ? 'none' : (colours[gi] ?? '#000');
      out.push(
        `<rect x="${x}" y="${y(seconds)}" width="${barWidth - 1}" height="${top + height - y(seconds)}" fill="${fill}" stroke="${colours[gi]}"><title>${cellLabel(row.cell)} — ${g.gate}: ${duration(g.medianSeconds)}</title></rect>`,
      );
    });
    const lx = x0 + group / 2;
    const ly = top + height + 8;
    out.push(`<text x="${lx}" y="${ly}" transform="rotate(60 ${lx} ${ly})">${cellLabel(row.cell)}</text>`);
  });
  GATE_NAMES.forEach((name, gi) => {
    const x = left + gi * 110;
    out.push(
      `<rect x="${x}" y="26" width="10" height="8" fill="${colours[gi]}"/><text x="${x + 14}" y="34">${name}</text>`,
    );
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
