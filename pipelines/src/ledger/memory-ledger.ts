import type { ReleaseRecord } from '../record/record';
import { type Ledger, type LedgerQuery, selectRecords } from './ledger';
import { applyOperation, type LedgerOperation } from './lifecycle';

/** A ledger for tests and in-process runs; records are copied in and out so callers cannot alter them. */
export class MemoryLedger implements Ledger {
  private readonly records = new Map<string, ReleaseRecord>();

  async begin(record: ReleaseRecord): Promise<void> {
    this.apply('begin', record);
  }

  async update(record: ReleaseRecord): Promise<void> {
    this.apply('update', record);
  }

  async finish(record: ReleaseRecord): Promise<void> {
    this.apply('finish', record);
  }

  async list(query?: LedgerQuery): Promise<ReleaseRecord[]> {
    return selectRecords(
      [...this.records.values()].map((record) => structuredClone(record)),
      query,
    );
  }

  private apply(operation: LedgerOperation, record: ReleaseRecord): void {
    applyOperation(this.records, operation, structuredClone(record));
  }
}
