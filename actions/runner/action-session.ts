import type { BackendSession } from '@tollgate/pipelines/backends/backend';
import { openBackend } from '@tollgate/pipelines/backends/create-backend';
import type { LedgerInputs } from './ledger-inputs';
import { openLedger } from './open-ledger';
import type { TargetInputs } from './target-inputs';

/**
 * Every port of one workload environment on the chosen backend, with the ledger the inputs chose: the
 * same composition root as the CLI's, so an action and `tollgate` release the same way.
 */
export function openActionSession(
  target: TargetInputs,
  version: string,
  ledger: LedgerInputs,
): Promise<BackendSession> {
  const traceSource = target.manifest.environments[target.environmentName]?.traceSource;
  const github = openLedger(ledger);
  return openBackend(
    { workload: target.workload, environment: target.environment, version },
    {
      backend: target.backend,
      ledgerFile: ledger.kind === 'file' ? ledger.file : '',
      ...(github ? { ledger: github } : {}),
      ...(traceSource ? { traceSource } : {}),
    },
  );
}
