import { createServiceTelemetry } from '@securecart/shared/container-telemetry';
import { createExports, exportsConfigFromEnv } from './exports-config';
import { SERVICE_NAME } from './run';
import { startWorker } from './worker-app';

/**
 * Container entry point (ECS service on EC2): the nightly reconciliation worker. Reads the day's exports from
 * EXPORT_BUCKET (deployed) or BATCH_INPUT_DIR (local) — exactly one, or it refuses to start. For a one-off run
 * of a given day use main.ts (`BATCH_DATE=2025-03-01 npx tsx workloads/order-batch/src/main.ts`).
 */
async function start(): Promise<void> {
  const exports = createExports(exportsConfigFromEnv(process.env));
  const telemetry = createServiceTelemetry(SERVICE_NAME, { register: true });
  await startWorker({
    telemetry,
    ...exports,
    env: process.env,
    signals: process,
    exit: (code) => process.exit(code),
  });
}

start().catch((error: unknown) => {
  console.error(`order-batch worker: ${(error as Error).message}`);
  process.exit(1);
});
