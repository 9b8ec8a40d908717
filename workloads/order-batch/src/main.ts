import { writeFile } from 'node:fs/promises';
import { createServiceTelemetry } from '../../shared/container-telemetry';
import { runBatch, yesterday } from './run';
import { FileSource } from './source';

/**
 * Nightly entry point (ECS on EC2, scheduled task). Reads BATCH_INPUT_DIR/<BATCH_DATE>/{orders,payments}.jsonl,
 * logs the report, optionally writes it to BATCH_REPORT_PATH, flushes traces, exits with runBatch's code.
 */
async function main(): Promise<number> {
  const telemetry = createServiceTelemetry('order-batch', { register: true });
  const dir = process.env.BATCH_INPUT_DIR?.trim() || '/data';
  const reportPath = process.env.BATCH_REPORT_PATH?.trim();
  const code = await runBatch({
    telemetry,
    source: new FileSource(dir),
    date: process.env.BATCH_DATE?.trim() || yesterday(new Date()),
    ...(reportPath
      ? { writeReport: (report) => writeFile(reportPath, `${JSON.stringify(report, null, 2)}\n`) }
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
