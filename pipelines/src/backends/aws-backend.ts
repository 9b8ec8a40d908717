import { createAwsClients } from '../aws/clients';
import { type AwsSettings, awsSettings } from '../aws/settings';
import { FileLedger } from '../ledger/file-ledger';
import type { Ledger } from '../ledger/ledger';
import type { BackendName } from '../record/record';
import { CloudWatchAlarms } from '../signals/cloudwatch-alarms';
import type { EntrySpans } from '../signals/span-query';
import { type TraceSourceKind, traceSourceFor } from '../signals/trace-source-for';
import { type Clock, systemClock } from '../time/clock';
import { awsPlatformFor } from './aws-platforms';
import type { BackendSession, BackendTarget } from './backend';

export interface AwsBackendOptions {
  /** JSON-lines ledger file, unless `ledger` is given. */
  ledgerFile: string;
  /** Another ledger (GitHub Deployments, in a workflow) instead of the file. */
  ledger?: Ledger;
  /** The manifest environment's trace source (default `xray`). */
  traceSource?: TraceSourceKind;
  /** Where endpoints come from (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>) and KUBECONFIG. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The `aws` backend: the target's real platform, its CloudWatch alarms and its traces, in the target's
 * Region, with the SDK's default credentials (the deploy role the workflow assumed). With AWS_ENDPOINT_URL
 * set, every call goes to that AWS-compatible endpoint instead.
 */
export async function openAwsBackend(
  target: BackendTarget,
  options: AwsBackendOptions,
): Promise<BackendSession> {
  const env = options.env ?? process.env;
  const settings = awsSettings(target.environment.target.region, env);
  const traceSource = options.traceSource ?? 'xray';
  return awsSession(target, {
    ...options,
    env,
    settings,
    clock: systemClock,
    name: 'aws',
    description: describe(settings, traceSource, target.environment.capabilities.method),
  });
}

/** How an AWS-API session is built: by the `aws` backend, and by `local` with the local cloud's clock. */
export interface AwsSessionOptions extends AwsBackendOptions {
  env: NodeJS.ProcessEnv;
  settings: AwsSettings;
  clock: Clock;
  name: BackendName;
  description: string;
}

/** Every port over the AWS APIs: the same adapters and clients whichever endpoint answers them. */
export function awsSession(target: BackendTarget, options: AwsSessionOptions): BackendSession {
  const { workload, environment } = target;
  const { env, clock } = options;
  const clients = createAwsClients(options.settings);
  const traceSource = options.traceSource ?? 'xray';
  return {
    name: options.name,
    simulated: false,
    description: options.description,
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
    ledger: options.ledger ?? new FileLedger(options.ledgerFile),
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
