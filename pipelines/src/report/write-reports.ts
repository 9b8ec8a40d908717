import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReleaseRecord } from '../record/record';
import { jsonReport } from './json-report';
import { markdownReport } from './markdown-report';

/**
 * Writes the markdown (job summary) and JSON reports of a release into `dir`. The names come from
 * values validated at the edge (workload, environment, version), so they cannot escape `dir`.
 */
export async function writeReports(record: ReleaseRecord, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const base = join(dir, `${record.workload}-${record.environment}-${record.toVersion}`);
  await writeFile(`${base}.md`, markdownReport(record), 'utf8');
  await writeFile(`${base}.json`, jsonReport(record), 'utf8');
  return [`${base}.md`, `${base}.json`];
}
