import { AppRunnerClient } from '@aws-sdk/client-apprunner';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { CodeDeployClient } from '@aws-sdk/client-codedeploy';
import { ECSClient } from '@aws-sdk/client-ecs';
import { EKSClient } from '@aws-sdk/client-eks';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { STSClient } from '@aws-sdk/client-sts';
import { XRayClient } from '@aws-sdk/client-xray';
import { type AwsService, type AwsSettings, endpointFor } from './settings';
import { USER_AGENT } from './user-agent';

/** One SDK client per service, built on first use and shared by every adapter of a run. */
export interface AwsClients {
  readonly lambda: LambdaClient;
  readonly codeDeploy: CodeDeployClient;
  readonly ecs: ECSClient;
  readonly eks: EKSClient;
  readonly sts: STSClient;
  readonly appRunner: AppRunnerClient;
  readonly cloudWatch: CloudWatchClient;
  readonly xray: XRayClient;
  readonly logs: CloudWatchLogsClient;
}

/**
 * Adaptive retries: the SDK backs off and rate-limits itself when a service throttles, which matters for a
 * gate that polls every 30 s for an hour; six attempts ride out a burst without hiding an outage.
 */
const MAX_ATTEMPTS = 6;

const CONSTRUCTORS = {
  lambda: LambdaClient,
  codeDeploy: CodeDeployClient,
  ecs: ECSClient,
  eks: EKSClient,
  sts: STSClient,
  appRunner: AppRunnerClient,
  cloudWatch: CloudWatchClient,
  xray: XRayClient,
  logs: CloudWatchLogsClient,
} as const;

/** The one client factory: region, endpoints, retries and user agent are set here and nowhere else. */
export function createAwsClients(settings: AwsSettings): AwsClients {
  const built = new Map<AwsService, unknown>();
  const get = <S extends AwsService>(service: S): InstanceType<(typeof CONSTRUCTORS)[S]> => {
    let client = built.get(service);
    if (!client) {
      const Client = CONSTRUCTORS[service];
      const endpoint = endpointFor(settings, service);
      client = new Client({
        region: settings.region,
        ...(endpoint ? { endpoint } : {}),
        ...(settings.credentials ? { credentials: settings.credentials } : {}),
        retryMode: 'adaptive',
        maxAttempts: MAX_ATTEMPTS,
        customUserAgent: [USER_AGENT],
      });
      built.set(service, client);
    }
    return client as InstanceType<(typeof CONSTRUCTORS)[S]>;
  };
  return Object.defineProperties(
    {} as AwsClients,
    Object.fromEntries(
      (Object.keys(CONSTRUCTORS) as AwsService[]).map((service) => [
        service,
        { get: () => get(service), enumerable: true },
      ]),
    ),
  );
}
