import { FileLedger } from '../ledger/file-ledger';
import { OUTCOME_MARK } from '../report/format';
import type { Output } from './output';

export interface StatusOptions {
  ledger: string;
  workload?: string;
  env?: string;
  limit: number;
  json?: boolean;
}

/** Lists recent releases from the ledger, newest first, open ones (in progress, held) included. */
export async function statusCommand(options: StatusOptions, out: Output): Promise<number> {
  const query = {
    limit: options.limit,
    ...(options.workload ? { workload: options.workload } : {}),
    ...(options.env ? { environment: options.env } : {}),
  };
  const records = await new FileLedger(options.ledger).list(query);
  if (options.json) {
    const summaries = records.map(({ events: _events, steps: _steps, ...summary }) => summary);
    out.log(JSON.stringify(summaries, null, 2));
    return 0;
  }
  if (records.length === 0) {
    out.log(`no releases recorded in ${options.ledger}`);
    return 0;
  }
  for (const record of records) {
    const when = new Date(record.startedAt).toISOString();
    const where = `${record.workload}/${record.environment}`;
    out.log(
      `${when}  ${where}  ${record.fromVersion} → ${record.toVersion}  ${OUTCOME_MARK[record.outcome]}  [${record.backend}]  ${record.reason}`,
    );
  }
  return 0;
}
