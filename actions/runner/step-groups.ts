import type { ReleaseEvent } from '@tollgate/pipelines/record/events';
import type { GateReading } from '@tollgate/pipelines/record/reading';
import { formatValue } from '@tollgate/pipelines/report/format';

/** What the log needs from the runner: plain lines and collapsible groups (`::group::`). */
export interface ActionLog {
  info(line: string): void;
  startGroup(title: string): void;
  endGroup(): void;
}

/** Events whose readings decided something; every poll's readings would drown the log. */
const DETAILED = new Set<ReleaseEvent['type']>(['preflight', 'blocked', 'step-passed', 'step-failed']);

/**
 * Live progress in the job log: every event as a line, and each step of the plan in a group of its own
 * (its weight, a line per poll, the readings that decided it, its verdict), so a long bake folds into one line per step.
 */
export function stepGroups(log: ActionLog): { onEvent: (event: ReleaseEvent) => void; close: () => void } {
  let open: number | undefined;
  const close = () => {
    if (open === undefined) return;
    log.endGroup();
    open = undefined;
  };
  const onEvent = (event: ReleaseEvent) => {
    if (event.step !== undefined && event.step !== open) {
      close();
      log.startGroup(`Step ${event.step + 1}${event.weight === undefined ? '' : ` at ${event.weight}%`}`);
      open = event.step;
    } else if (event.step === undefined) close();
    log.info(`${event.type}: ${event.message}`);
    if (!DETAILED.has(event.type)) return;
    for (const reading of event.readings ?? []) log.info(`  ${readingLine(reading)}`);
  };
  return { onEvent, close };
}

function readingLine(reading: GateReading): string {
  const figures =
    reading.unit === 'state'
      ? (reading.state ?? '')
      : `canary ${formatValue(reading.canary, reading.unit)}, baseline ${formatValue(reading.baseline, reading.unit)}, limit ${formatValue(reading.threshold, reading.unit)}`;
  return `${reading.gate} ${reading.metric}: ${figures} → ${reading.verdict}: ${reading.reason}`;
}
