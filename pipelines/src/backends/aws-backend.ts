import { createAwsClients } from '../aws/clients';
import { type AwsSettings, awsSettings } from '../aws/settings';
import { FileLedger } from '../ledger/file-ledger';
import { CloudWatchAlarms } from '../signals/cloudwatch-alarms';
import type { EntrySpans } from '../signals/span-query';
import { type TraceSourceKind, traceSourceFor } from '../signals/trace-source-for';
import { systemClock } from '../time/clock';
import { awsPlatformFor } from './aws-platforms';
import type { BackendSession, BackendTarget } from './backend';

export interface AwsBackendOptions {
  /** JSON-lines ledger file. */
  ledgerFile: string;
  /** The manifest environment's trace source (default `xray`). */
  traceSource?: TraceSourceKind;
  /** Where endpoints come from (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>) and KUBECONFIG. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The `aws` backend: the target's real platform, its CloudWatch alarms and its traces, in the target's
 * Region, with the SDK's default credentials (the deploy role the workflow assumed). With AWS_ENDPOINT_URL
 * set, every call goes to that AWS-compatible endpoint instead (the local cloud).
 */
export async function openAwsBackend(
  target: BackendTarget,
  options: AwsBackendOptions,
): Promise<BackendSession> {
  const { workload, environment } = target;
  const env = options.env ?? process.env;
  const settings = awsSettings(environment.target.region, env);
  const clients = createAwsClients(settings);
  const clock = systemClock;
  const traceSource = options.traceSource ?? 'xray';
  return {
    name: 'aws',
    simulated: false,
    description: describe(settings, traceSource, environment.capabilities.method),
    clock,
    signals: {
      alarms: new CloudWatchAlarms(clients.cloudWatch),
      traces: traceSourceFor(traceSource, {
        clients,
        clock,
        workload,
        serviceName: environment.target.xrayServiceName,
        entrySpans: entrySpansOf(environment.target.platform),
      }),
    },
    ledger: new FileLedger(options.ledgerFile),
    platform: awsPlatformFor({ workload, environment, clients, clock, env }),
    close: async () => {},
  };
}

/** A Lambda's own span is not a SERVER span; its requests are the spans that carry its annotations. */
function entrySpansOf(platform: string): EntrySpans {
  return platform === 'lambda' ? 'annotated' : 'server';
}

function describe(settings: AwsSettings, traceSource: TraceSourceKind, method: string): string {
  const where = settings.endpoint
    ? `the AWS-compatible endpoint ${settings.endpoint}`
    : `AWS ${settings.region}`;
  return `${where}, ${method}, traces from ${traceSource === 'xray' ? 'X-Ray' : 'Transaction Search spans'}`;
}
