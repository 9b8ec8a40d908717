import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';

/** The environments SecureCart is released to, in promotion order. */
export const ENVIRONMENT_NAMES = ['staging', 'production'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/** Default GitHub repository whose workflows may assume the deploy roles. */
export const DEFAULT_REPOSITORY = 'securecart/securecart';

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  /** Short code used where AWS limits names to 32 characters (ALB, target groups). */
  readonly shortName: string;
  readonly account: string;
  readonly region: string;
  /** Two availability zones, spelled out so synth never needs an AZ lookup. */
  readonly availabilityZones: readonly [string, string];
  readonly vpcCidr: string;
  readonly logRetention: RetentionDays;
  /** How long CloudWatch keeps the gating alarms' evaluation window (per datapoint). */
  readonly alarmPeriod: Duration;
  /** Minimum tasks/instances so a canary always has a baseline to compare with. */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** CIDRs allowed to reach the public EKS API endpoint (the deploy runner's egress). */
  readonly eksPublicAccessCidrs: readonly string[];
}

const DEFAULTS: Record<EnvironmentName, EnvironmentConfig> = {
  staging: {
    name: 'staging',
    shortName: 'stg',
    account: '111111111111',
    region: 'eu-west-1',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    vpcCidr: '10.10.0.0/16',
    logRetention: RetentionDays.ONE_MONTH,
    alarmPeriod: Duration.minutes(1),
    minCapacity: 2,
    maxCapacity: 4,
    eksPublicAccessCidrs: ['0.0.0.0/0'],
  },
  production: {
    name: 'production',
    shortName: 'prd',
    account: '222222222222',
    region: 'eu-west-1',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    vpcCidr: '10.20.0.0/16',
    logRetention: RetentionDays.ONE_YEAR,
    alarmPeriod: Duration.minutes(1),
    minCapacity: 3,
    maxCapacity: 12,
    eksPublicAccessCidrs: ['0.0.0.0/0'],
  },
};

/**
 * Context keys that override the defaults, e.g.
 * `cdk synth -c securecart:staging:account=123456789012 -c securecart:repository=acme/shop`.
 */
export interface ContextReader {
  tryGetContext(key: string): unknown;
}

function contextString(ctx: ContextReader, key: string): string | undefined {
  const value = ctx.tryGetContext(key);
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new Error(`context "${key}" must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  return value;
}

export function environmentConfig(ctx: ContextReader, name: EnvironmentName): EnvironmentConfig {
  const base = DEFAULTS[name];
  const account = contextString(ctx, `securecart:${name}:account`) ?? base.account;
  if (!/^\d{12}$/.test(account)) {
    throw new Error(
      `context "securecart:${name}:account" must be a 12-digit AWS account id, got "${account}"`,
    );
  }
  const region = contextString(ctx, `securecart:${name}:region`) ?? base.region;
  const availabilityZones: readonly [string, string] =
    region === base.region ? base.availabilityZones : [`${region}a`, `${region}b`];
  const cidrs = contextString(ctx, `securecart:${name}:eksPublicAccessCidrs`);
  return {
    ...base,
    account,
    region,
    availabilityZones,
    eksPublicAccessCidrs: cidrs ? cidrs.split(',').map((c) => c.trim()) : base.eksPublicAccessCidrs,
  };
}

export function repositoryFromContext(ctx: ContextReader): string {
  const repo = contextString(ctx, 'securecart:repository') ?? DEFAULT_REPOSITORY;
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) {
    throw new Error(`context "securecart:repository" must look like OWNER/REPO, got "${repo}"`);
  }
  return repo;
}
