import { readFileSync } from 'node:fs';
import { parseVitestReport, type VitestReport } from '../src/vitest-report';

/** The checkout the captured reports were run in: their absolute paths start here. */
export const CAPTURED_ROOT = '/work/main';

/** A report captured from a real vitest run (see fixtures/README.md). */
export function capturedReport(name: 'red' | 'broken'): VitestReport {
  return parseVitestReport(readFileSync(new URL(`fixtures/${name}-report.json`, import.meta.url), 'utf8'));
}
