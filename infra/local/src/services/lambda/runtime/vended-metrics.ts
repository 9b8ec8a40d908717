import type { TelemetrySink } from '../../../telemetry/sink';

/** Which function resource an invocation named: the dimensions Lambda files its metrics under. */
export interface MetricTarget {
  functionName: string;
  /** `<function>:<alias>` or `<function>:<version>` when the caller named a qualifier. */
  resource?: string;
  /** The version that ran, when an alias was invoked. */
  executedVersion?: string;
}

const NAMESPACE = 'AWS/Lambda';

/**
 * The dimension sets AWS/Lambda publishes one invocation under: across all functions, by
 * FunctionName, by FunctionName+Resource (the alias or version invoked: what CDK's
 * `alias.metricErrors()` alarms on), and by FunctionName+Resource+ExecutedVersion for an alias.
 */
export function dimensionSets(target: MetricTarget): Record<string, string>[] {
  const { functionName, resource, executedVersion } = target;
  const sets: Record<string, string>[] = [{}, { FunctionName: functionName }];
  if (resource !== undefined) {
    sets.push({ FunctionName: functionName, Resource: resource });
    if (executedVersion !== undefined) {
      sets.push({ FunctionName: functionName, Resource: resource, ExecutedVersion: executedVersion });
    }
  }
  return sets;
}

/** Publishes Lambda's own metrics of one invocation (or throttled attempt) through the sink. */
export class VendedMetrics {
  constructor(private readonly sink: TelemetrySink) {}

  invoked(target: MetricTarget, outcome: { failed: boolean; durationMs: number; realEpochMs: number }): void {
    const { realEpochMs } = outcome;
    this.put(target, 'Invocations', 1, 'Count', realEpochMs);
    this.put(target, 'Errors', outcome.failed ? 1 : 0, 'Count', realEpochMs);
    this.put(target, 'Throttles', 0, 'Count', realEpochMs);
    this.put(target, 'Duration', outcome.durationMs, 'Milliseconds', realEpochMs);
  }

  throttled(target: MetricTarget, realEpochMs: number): void {
    this.put(target, 'Throttles', 1, 'Count', realEpochMs);
  }

  /** The function's executions in flight as one started, this one included. */
  concurrency(target: MetricTarget, executions: number, realEpochMs: number): void {
    this.put(target, 'ConcurrentExecutions', executions, 'Count', realEpochMs);
  }

  private put(target: MetricTarget, name: string, value: number, unit: string, realEpochMs: number): void {
    for (const dimensions of dimensionSets(target)) {
      this.sink.metric({ namespace: NAMESPACE, name, dimensions, value, unit, realEpochMs });
    }
  }
}
