import { z } from 'zod';

/**
 * The part of vitest 4's `json` reporter output the summary reads (vitest's `JsonTestResults`);
 * everything else in the file is ignored.
 */
const callsite = z.object({ line: z.number().int(), column: z.number().int() });

const assertionResult = z.object({
  ancestorTitles: z.array(z.string()),
  title: z.string(),
  fullName: z.string(),
  status: z.enum(['passed', 'failed', 'skipped', 'pending', 'todo', 'disabled']),
  duration: z.number().nullish(),
  failureMessages: z.array(z.string()).nullable(),
  location: callsite.nullish(),
});

const testFileResult = z.object({
  /** Absolute path of the test file. */
  name: z.string(),
  status: z.enum(['passed', 'failed']),
  /** The file's own error (it failed to load, say); empty when it has none. */
  message: z.string(),
  startTime: z.number(),
  endTime: z.number(),
  assertionResults: z.array(assertionResult),
});

const vitestReport = z.object({
  success: z.boolean(),
  testResults: z.array(testFileResult),
});

export type VitestReport = z.infer<typeof vitestReport>;
export type VitestFileResult = z.infer<typeof testFileResult>;
export type VitestAssertion = z.infer<typeof assertionResult>;

/** A report vitest wrote that is not the shape this action reads (another vitest major, say). */
export class VitestReportError extends Error {
  constructor(detail: string) {
    super(`vitest's json report is not one this action reads: ${detail}`);
    this.name = 'VitestReportError';
  }
}

/** Parses the text of a `--reporter=json` output file. */
export function parseVitestReport(text: string): VitestReport {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new VitestReportError(error instanceof Error ? error.message : String(error));
  }
  const parsed = vitestReport.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new VitestReportError(issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid');
  }
  return parsed.data;
}
