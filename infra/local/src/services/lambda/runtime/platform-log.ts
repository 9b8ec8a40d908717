import type { Outcome } from './execution-environment';

/**
 * The platform events Lambda writes to a function's log group when its log format is JSON (as the
 * SecureCart functions', `loggingFormat: JSON`): one `platform.start` and one `platform.report` per
 * invocation.
 */
export function platformStart(requestId: string, version: string): string {
  return JSON.stringify({
    time: new Date().toISOString(),
    type: 'platform.start',
    record: { requestId, version },
  });
}

export function platformReport(
  requestId: string,
  metrics: { durationMs: number; memorySizeMB: number; initDurationMs?: number },
  outcome: Outcome,
): string {
  const status =
    outcome.kind === 'result'
      ? 'success'
      : outcome.error.errorType === 'Sandbox.Timedout'
        ? 'timeout'
        : 'error';
  const record = {
    requestId,
    metrics: {
      durationMs: round(metrics.durationMs),
      billedDurationMs: Math.max(1, Math.ceil(metrics.durationMs + (metrics.initDurationMs ?? 0))),
      memorySizeMB: metrics.memorySizeMB,
      ...(metrics.initDurationMs !== undefined ? { initDurationMs: round(metrics.initDurationMs) } : {}),
    },
    status,
    ...(outcome.kind === 'result' ? {} : { errorType: outcome.error.errorType }),
  };
  return JSON.stringify({ time: new Date().toISOString(), type: 'platform.report', record });
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
