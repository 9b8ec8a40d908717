import { writeFile } from 'node:fs/promises';
import { createServiceTelemetry } from '@securecart/shared/container-telemetry';
import { createExports, exportsConfigFromEnv } from './exports-config';
import type { ReconciliationReport } from './reconcile';
import { runBatch, SERVICE_NAME, yesterday } from './run';

/**
 * One-off run of one day (local use, or re-running a failed night). Reads the exports from EXPORT_BUCKET or
 * BATCH_INPUT_DIR (exactly one), logs the report, writes it to `reports/<date>.json` when on S3 and to
 * BATCH_REPORT_PATH when set, flushes traces, exits with runBatch's code.
 */
async function main(): Promise<number> {
  const exports = createExports(exportsConfigFromEnv(process.env));
  const telemetry = createServiceTelemetry(SERVICE_NAME, { register: true });
  const reportPath = process.env.BATCH_REPORT_PATH?.trim();
  const writers = [
    ...(exports.writeReport ? [exports.writeReport] : []),
    ...(reportPath
      ? [(report: ReconciliationReport) => writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`)]
      : []),
  ];
  const code = await runBatch({
    telemetry,
    source: exports.source,
    date: process.env.BATCH_DATE?.trim() || yesterday(new Date()),
    ...(writers.length > 0
      ? { writeReport: async (report) => void (await Promise.all(writers.map((w) => w(report)))) }
      : {}),
  });
  await telemetry.tracing.shutdown();
  return code;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`order-batch: ${(error as Error).message}`);
    process.exit(1);
  },
);
