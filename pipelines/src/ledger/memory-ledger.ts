import type { ReleaseRecord } from '../release/record';
import { type Ledger, type LedgerQuery, selectRecords } from './ledger';

export class MemoryLedger implements Ledger {
  private readonly records: ReleaseRecord[] = [];

  async append(record: ReleaseRecord): Promise<void> {
    this.records.push(structuredClone(record));
  }

  async list(query?: LedgerQuery): Promise<ReleaseRecord[]> {
    return selectRecords(
      this.records.map((record) => structuredClone(record)),
      query,
    );
  }
}
