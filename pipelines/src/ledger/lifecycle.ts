import { isOpen, type ReleaseRecord } from '../record/record';
import { LedgerError } from './ledger';

export type LedgerOperation = 'begin' | 'update' | 'finish';

/**
 * Applies one lifecycle step to the records known so far, refusing what would make the history lie: a
 * release begun twice, an update of one never begun, or any change to one already finished.
 */
export function applyOperation(
  records: Map<string, ReleaseRecord>,
  operation: LedgerOperation,
  record: ReleaseRecord,
): void {
  const known = records.get(record.id);
  if (operation === 'begin' && known) throw new LedgerError(`release ${record.id} was already begun`);
  if (operation !== 'begin' && !known) throw new LedgerError(`release ${record.id} was never begun`);
  if (known && !isOpen(known)) {
    throw new LedgerError(`release ${record.id} already finished as ${known.outcome}; it cannot change`);
  }
  if (operation === 'finish' && isOpen(record)) {
    throw new LedgerError(`release ${record.id} cannot finish as ${record.outcome}`);
  }
  if (operation !== 'finish' && !isOpen(record)) {
    throw new LedgerError(`release ${record.id} is ${record.outcome}; record that with finish`);
  }
  records.set(record.id, record);
}
