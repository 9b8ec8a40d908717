import { createServiceTelemetry } from '../../shared/container-telemetry';
import { FileSource } from './source';
import { startWorker } from './worker-app';

/**
 * Container entry point (ECS service on EC2): the nightly reconciliation worker. For a one-off run of a
 * given day use main.ts (`BATCH_DATE=2025-03-01 npx tsx workloads/order-batch/src/main.ts`).
 */
const telemetry = createServiceTelemetry('order-batch', { register: true });
startWorker({
  telemetry,
  source: new FileSource(process.env.BATCH_INPUT_DIR?.trim() || '/data'),
  env: process.env,
  signals: process,
  exit: (code) => process.exit(code),
}).catch((error: unknown) => {
  console.error(`order-batch worker: ${(error as Error).message}`);
  process.exit(1);
});
