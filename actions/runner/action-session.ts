import type { BackendSession } from '@tollgate/pipelines/backends/backend';
import { openBackend } from '@tollgate/pipelines/backends/create-backend';
import { backendOptions } from '@tollgate/pipelines/cli/backend-flags';
import type { LedgerInputs } from './ledger-inputs';
import { openLedger } from './open-ledger';
import type { TargetInputs } from './target-inputs';

/**
 * Every port of one workload environment on the chosen backend, with the ledger the inputs chose (none:
 * the command records nothing): the same composition root and options as the CLI's, so an action and
 * `tollgate` release the same way.
 */
export function openActionSession(
  target: TargetInputs,
  version: string,
  ledger?: LedgerInputs,
): Promise<BackendSession> {
  const github = ledger ? openLedger(ledger) : undefined;
  const flags = {
    backend: target.backend,
    env: target.environmentName,
    ...(ledger?.kind === 'file' ? { ledgerFile: ledger.file } : {}),
    ...(github ? { ledger: github } : {}),
  };
  return openBackend(
    { workload: target.workload, environment: target.environment, version },
    backendOptions(flags, target.manifest),
  );
}
