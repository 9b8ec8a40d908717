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
  /**
   * CIDRs allowed to reach the EKS API's public endpoint (the deploy runner's egress). Empty (the default):
   * the endpoint is private, reachable only from the VPC.
   */
  readonly eksPublicAccessCidrs: readonly string[];
  /**
   * ACM certificate of checkout's public listener. Required in production (an internet-facing listener there
   * must be HTTPS); the default is a placeholder in the placeholder account, like the account itself.
   */
  readonly checkoutCertificateArn?: string;
  /** Where product-search runs: App Runner (accounts that have it) or Fargate behind the same gates. */
  readonly productSearchPlatform: ProductSearchPlatform;
  /** IAM role given cluster-admin on the EKS cluster; default: the role the Kubernetes stack creates. */
  readonly eksAdminRoleArn?: string;
}

const PRODUCT_SEARCH_PLATFORMS = ['apprunner', 'fargate'] as const;
const PRODUCT_SEARCH_PLATFORM_KEY = 'securecart:productSearchPlatform';
type ProductSearchPlatform = (typeof PRODUCT_SEARCH_PLATFORMS)[number];

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
    eksPublicAccessCidrs: [],
    productSearchPlatform: 'apprunner',
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
    eksPublicAccessCidrs: [],
    checkoutCertificateArn:
      'arn:aws:acm:eu-west-1:222222222222:certificate/00000000-0000-0000-0000-000000000000',
    productSearchPlatform: 'apprunner',
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
  const key = (option: string) => `securecart:${name}:${option}`;
  const account = contextString(ctx, key('account')) ?? base.account;
  if (!/^\d{12}$/.test(account)) {
    throw new Error(`context "${key('account')}" must be a 12-digit AWS account id, got "${account}"`);
  }
  const region = contextString(ctx, key('region')) ?? base.region;
  const availabilityZones: readonly [string, string] =
    region === base.region ? base.availabilityZones : [`${region}a`, `${region}b`];
  const certificate = contextString(ctx, key('checkoutCertificateArn')) ?? base.checkoutCertificateArn;
  const adminRole = contextString(ctx, key('eksAdminRoleArn'));
  return {
    ...base,
    account,
    region,
    availabilityZones,
    eksPublicAccessCidrs: publicAccessCidrs(
      contextString(ctx, key('eksPublicAccessCidrs')),
      key('eksPublicAccessCidrs'),
    ),
    ...checkoutCertificate(certificate, { name, account, region, key: key('checkoutCertificateArn') }),
    // App-wide (not per environment): the release manifest gives a workload one platform in every environment.
    productSearchPlatform:
      productSearchPlatform(contextString(ctx, PRODUCT_SEARCH_PLATFORM_KEY), PRODUCT_SEARCH_PLATFORM_KEY) ??
      base.productSearchPlatform,
    ...(adminRole ? { eksAdminRoleArn: iamRoleArn(adminRole, account, key('eksAdminRoleArn')) } : {}),
  };
}

function publicAccessCidrs(value: string | undefined, key: string): string[] {
  const cidrs = value ? value.split(',').map((c) => c.trim()) : [];
  for (const cidr of cidrs) {
    if (!/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(cidr)) {
      throw new Error(
        `context "${key}": "${cidr}" is not an IPv4 CIDR (a,b,c: the deploy runners' egress ranges)`,
      );
    }
    if (Number(cidr.split('/')[1]) < 8) {
      throw new Error(
        `context "${key}": "${cidr}" opens the EKS API endpoint to a /${cidr.split('/')[1]}; give the deploy runners' egress ranges (at most /8), or leave it unset for a private endpoint`,
      );
    }
  }
  return cidrs;
}

function checkoutCertificate(
  arn: string | undefined,
  where: { name: EnvironmentName; account: string; region: string; key: string },
): { checkoutCertificateArn?: string } {
  if (arn === undefined) {
    if (where.name === 'production') {
      throw new Error(
        `context "${where.key}" is required: production's checkout load balancer faces the internet and must listen on HTTPS; give an ACM certificate in account ${where.account}, region ${where.region}`,
      );
    }
    return {};
  }
  const match = /^arn:aws[a-z-]*:acm:([a-z0-9-]+):(\d{12}):certificate\/[A-Za-z0-9-]+$/.exec(arn);
  if (!match) throw new Error(`context "${where.key}" must be an ACM certificate ARN, got "${arn}"`);
  if (match[1] !== where.region || match[2] !== where.account) {
    throw new Error(
      `context "${where.key}": certificate ${arn} is in ${match[2]}/${match[1]}, but ${where.name} is ${where.account}/${where.region}; give a certificate of that account and region`,
    );
  }
  return { checkoutCertificateArn: arn };
}

function productSearchPlatform(value: string | undefined, key: string): ProductSearchPlatform | undefined {
  if (value === undefined) return undefined;
  const allowed: readonly string[] = PRODUCT_SEARCH_PLATFORMS;
  if (!allowed.includes(value)) {
    throw new Error(`context "${key}" must be one of ${PRODUCT_SEARCH_PLATFORMS.join(', ')}, got "${value}"`);
  }
  return value as ProductSearchPlatform;
}

function iamRoleArn(arn: string, account: string, key: string): string {
  if (!new RegExp(`^arn:aws[a-z-]*:iam::${account}:role/[\\w+=,.@/-]+$`).test(arn)) {
    throw new Error(`context "${key}" must be the ARN of an IAM role in account ${account}, got "${arn}"`);
  }
  return arn;
}

export function repositoryFromContext(ctx: ContextReader): string {
  const repo = contextString(ctx, 'securecart:repository') ?? DEFAULT_REPOSITORY;
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repo)) {
    throw new Error(`context "securecart:repository" must look like OWNER/REPO, got "${repo}"`);
  }
  return repo;
}
