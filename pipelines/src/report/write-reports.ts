import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReleaseRecord } from '../record/record';
import { htmlReport } from './html-report';
import { jsonReport } from './json-report';
import { markdownReport } from './markdown-report';
import type { ReportContext } from './report-context';

/**
 * Writes the markdown (job summary), JSON and HTML (artifact) reports of a release into `dir` and
 * returns their paths in that order. The names come from values validated at the edge (workload,
 * environment, version), so they cannot escape `dir`. Without `context` (see `reportContext`) the
 * reports carry no console links.
 */
export async function writeReports(
  record: ReleaseRecord,
  dir: string,
  context?: ReportContext,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, `${record.workload}-${record.environment}-${record.toVersion}`);
  await writeFile(`${base}.md`, markdownReport(record, context), 'utf8');
  await writeFile(`${base}.json`, jsonReport(record), 'utf8');
  await writeFile(`${base}.html`, htmlReport(record, context), 'utf8');
  return [`${base}.md`, `${base}.json`, `${base}.html`];
}
