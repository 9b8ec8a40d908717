import { errorText } from '../errors/error-text';
import type { Verdict } from '../judge/verdict';
import type { Ledger } from '../ledger/ledger';
import type { ReleaseEvent } from '../record/events';
import { isOpen, type ReleaseOutcome, type ReleaseRecord } from '../record/record';
import type { Clock } from '../time/clock';

/** How the open records end: their outcome and reason, a verdict, events to add to theirs. */
export interface RecordEnding {
  outcome: Exclude<ReleaseOutcome, 'in-progress' | 'held'>;
  reason: string;
  verdict?: Verdict;
  events?: readonly ReleaseEvent[];
}

export interface Closed {
  /** The records finished, with the outcome they had while open. */
  closed: { id: string; was: ReleaseOutcome }[];
  /** What could not be read or finished, in a sentence each. */
  problems: string[];
}

/**
 * Finishes the open records of one workload environment (all but `keep`) as `end` says: what a run
 * that stopped without finishing left open, closed by the next run or by the deploy action's post step.
 */
export async function closeOpenRecords(
  deps: { ledger: Ledger; clock: Clock },
  query: { workload: string; environment: string },
  end: RecordEnding,
  keep: readonly (string | undefined)[] = [],
): Promise<Closed> {
  const result: Closed = { closed: [], problems: [] };
  let open: ReleaseRecord[];
  try {
    open = (await deps.ledger.list(query)).filter((record) => isOpen(record) && !keep.includes(record.id));
  } catch (error) {
    result.problems.push(`could not read the ledger for unfinished releases: ${errorText(error)}`);
    return result;
  }
  for (const record of open) {
    const now = deps.clock.now();
    const { events = [], ...ending } = end;
    const done: ReleaseRecord = {
      ...record,
      ...ending,
      updatedAt: now,
      finishedAt: now,
      events: [...record.events, ...events],
    };
    try {
      await deps.ledger.finish(done);
      result.closed.push({ id: record.id, was: record.outcome });
    } catch (error) {
      result.problems.push(`could not close ${record.id} in the ledger: ${errorText(error)}`);
    }
  }
  return result;
}
