/** How to reach AWS (or an AWS-compatible endpoint such as the local cloud) for one target. */
export interface AwsSettings {
  region: string;
  /** Every service's endpoint, from AWS_ENDPOINT_URL; unset means the real AWS endpoints. */
  endpoint?: string;
  /** Per-service endpoints (AWS_ENDPOINT_URL_<SERVICE>), which win over `endpoint`. */
  serviceEndpoints: Partial<Record<AwsService, string>>;
  /** Fixed credentials (the local cloud's); unset means the SDK's default provider chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/** The services the adapters call, named as the SDK's AWS_ENDPOINT_URL_<SERVICE> variables name them. */
export const AWS_SERVICES = {
  lambda: 'LAMBDA',
  codeDeploy: 'CODEDEPLOY',
  ecs: 'ECS',
  eks: 'EKS',
  sts: 'STS',
  appRunner: 'APPRUNNER',
  cloudWatch: 'CLOUDWATCH',
  xray: 'XRAY',
  logs: 'CLOUDWATCH_LOGS',
} as const;

export type AwsService = keyof typeof AWS_SERVICES;

/**
 * Settings for a target in `region` (the release manifest's), with the endpoints the environment names.
 * AWS_REGION is not consulted: a release goes where its target is.
 */
export function awsSettings(region: string, env: NodeJS.ProcessEnv = process.env): AwsSettings {
  const serviceEndpoints: AwsSettings['serviceEndpoints'] = {};
  for (const [service, id] of Object.entries(AWS_SERVICES) as [AwsService, string][]) {
    const url = env[`AWS_ENDPOINT_URL_${id}`];
    if (url) serviceEndpoints[service] = url;
  }
  const settings: AwsSettings = { region, serviceEndpoints };
  if (env.AWS_ENDPOINT_URL) settings.endpoint = env.AWS_ENDPOINT_URL;
  return settings;
}

export function endpointFor(settings: AwsSettings, service: AwsService): string | undefined {
  return settings.serviceEndpoints[service] ?? settings.endpoint;
}
