/** Where a workload's traffic goes: an HTTP front door (ALB, App Runner URL, Ingress) or a Lambda invoke. */
export type EntryPoint =
  | { kind: 'http'; url: string }
  | {
      kind: 'invoke';
      /** Resolves with the function's result (an API Gateway result for HTTP APIs); rejects on a function error. */
      invoke(payload: unknown): Promise<unknown>;
    };

export interface TrafficStats {
  /** Requests sent (answered or not). */
  sent: number;
  /** Answered 2xx (an invoke that returned without a function error counts as 200). */
  ok: number;
  /** Everything else: 4xx, 5xx, function errors, network errors, timeouts. */
  failed: number;
  /** Requests not sent because `maxInFlight` were still waiting: the target is slower than the rate. */
  skipped: number;
  /** By status code (`'200'`, `'401'`), or `'function-error'`, `'network-error'`, `'timeout'`, `'aborted'`. */
  byStatus: Record<string, number>;
}
