import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ServiceTelemetry } from '@securecart/shared/container-telemetry';
import { type ReconciliationReport, reconcile } from './reconcile';
import { InputError, parseJsonLines, parseOrder, parsePayment } from './records';
import type { ReconciliationSource } from './source';

/** The service name in traces and the EMF `service` dimension its gating alarms select (infra/aws). */
export const SERVICE_NAME = 'order-batch';

export const EXIT_OK = 0;
export const EXIT_UNEXPECTED = 1;
export const EXIT_BAD_INPUT = 2;

export interface BatchDeps {
  telemetry: ServiceTelemetry;
  source: ReconciliationSource;
  date: string;
  writeReport?: (report: ReconciliationReport) => Promise<void>;
}

/** The previous UTC day, YYYY-MM-DD: the nightly run reconciles yesterday. */
export function yesterday(now: Date): string {
  return new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
}

export function checkDate(date: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`))) {
    throw new InputError(`BATCH_DATE must be YYYY-MM-DD, got "${date}"`);
  }
  return date;
}

async function reconcileDay(deps: BatchDeps): Promise<ReconciliationReport> {
  const date = checkDate(deps.date);
  const [orders, payments] = await Promise.all([
    deps.source.read('orders', date),
    deps.source.read('payments', date),
  ]);
  return reconcile(
    date,
    parseJsonLines(orders.name, orders.text, parseOrder),
    parseJsonLines(payments.name, payments.text, parsePayment),
  );
}

/**
 * One run: returns the process exit code; fatal input → 2, anything unexpected → 1, mismatches → 0. Emits one
 * EMF line per run: OrdersReconciled and Mismatches (or BatchFailures), and RunDuration.
 */
export async function runBatch(deps: BatchDeps): Promise<number> {
  const { tracer } = deps.telemetry.tracing;
  const { logger, metrics } = deps.telemetry;
  const span = tracer.startSpan('order-batch reconcile', { attributes: { 'batch.date': deps.date } });
  const started = performance.now();
  try {
    const report = await reconcileDay(deps);
    // Logged first, so the report survives a failed write (which fails the run).
    logger.info('reconciliation report', { ...report });
    await deps.writeReport?.(report);
    span.setAttributes({ 'batch.orders': report.orders, 'batch.mismatches': report.mismatches.length });
    metrics.addMetric('OrdersReconciled', MetricUnit.Count, report.orders);
    metrics.addMetric('Mismatches', MetricUnit.Count, report.mismatches.length);
    return EXIT_OK;
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
    metrics.addMetric('BatchFailures', MetricUnit.Count, 1);
    logger.error('reconciliation failed', { error: error as Error });
    return error instanceof InputError ? EXIT_BAD_INPUT : EXIT_UNEXPECTED;
  } finally {
    metrics.addMetric('RunDuration', MetricUnit.Milliseconds, Math.round(performance.now() - started));
    span.end();
    metrics.publishStoredMetrics();
  }
}
