import { SPAN_LOG_GROUP } from '@tollgate/pipelines/signals/span-query';
import type { ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import type { LogsService } from './logs-service';

export interface ProvisionLogsOptions {
  /** Turn Transaction Search on whatever the manifest says (the `aws/spans` log group exists). */
  transactionSearch?: boolean;
}

/**
 * Creates `aws/spans` when an environment of the manifest reads traces from spans (`traceSource: spans`,
 * i.e. Transaction Search is on there) or when asked to. The workloads' own log groups are not
 * provisioned: nothing queries them.
 */
export function provisionLogs(
  service: LogsService,
  manifest: ReleaseManifest,
  options: ProvisionLogsOptions = {},
): void {
  const spans = Object.values(manifest.environments).some(
    (environment) => environment.traceSource === 'spans',
  );
  if (spans || options.transactionSearch) service.createLogGroup(SPAN_LOG_GROUP);
}
