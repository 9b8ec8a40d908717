import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the CLI tests run against: the repository's own release manifest and policies. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MANIFEST = join(ROOT, 'infra/aws/release-manifest.json');
export const POLICY = join(ROOT, 'pipelines/policies/order-processing.yml');

/** An `Output` that keeps what a command printed, stdout and stderr apart. */
export function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return {
    lines,
    output: { log: (l: string) => lines.out.push(l), error: (l: string) => lines.err.push(l) },
  };
}
