import type { AwsClients } from '../aws/clients';
import type { Clock } from '../time/clock';
import type { TraceSource } from './ports';
import type { EntrySpans } from './span-query';
import { SpanTraces } from './span-traces';
import { XRayTraces } from './xray-traces';

/**
 * Where a workload's traces are read from.
 * - `xray`: X-Ray trace summaries. Every sampled trace, until the account turns on CloudWatch
 *   Transaction Search; from then on only the indexed share (1% by default).
 * - `spans`: the `aws/spans` log group that Transaction Search fills with every ingested span, through
 *   Logs Insights. Needs Transaction Search; costs data scanned (docs/signals-cost.md).
 */
export type TraceSourceKind = 'xray' | 'spans';

export interface TraceSourceDeps {
  clients: Pick<AwsClients, 'xray' | 'logs'>;
  clock: Clock;
  workload: string;
  /** The target's `xrayServiceName`, which is also its spans' `service.name`. */
  serviceName: string;
  /** For `spans`: which spans are the workload's requests (see `EntrySpans`). */
  entrySpans: EntrySpans;
}

/** The trace source of one workload environment; the engine wraps it in `openTraceCursor`. */
export function traceSourceFor(kind: TraceSourceKind, deps: TraceSourceDeps): TraceSource {
  const { clients, clock, workload, serviceName, entrySpans } = deps;
  switch (kind) {
    case 'xray':
      return new XRayTraces({ client: clients.xray, workload, serviceName });
    case 'spans':
      return new SpanTraces({ client: clients.logs, clock, workload, serviceName, entrySpans });
  }
}
