import type { ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { App, Tags, Validations } from 'aws-cdk-lib';
import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { asInterface } from './compat';
import {
  ENVIRONMENT_NAMES,
  type EnvironmentConfig,
  environmentConfig,
  repositoryFromContext,
} from './config';
import { ReleaseManifestRegistry } from './manifest/registry';
import { AppRunnerStack } from './stacks/app-runner-stack';
import { ContainersStack } from './stacks/containers-stack';
import { DeployAccessStack, type DeployAccessStackProps } from './stacks/deploy-access-stack';
import { KubernetesStack } from './stacks/kubernetes-stack';
import { NetworkStack } from './stacks/network-stack';
import { ServerlessStack } from './stacks/serverless-stack';

export interface SecureCartEnvironmentStacks {
  readonly config: EnvironmentConfig;
  readonly network: NetworkStack;
  readonly serverless: ServerlessStack;
  readonly containers: ContainersStack;
  readonly kubernetes: KubernetesStack;
  readonly appRunner: AppRunnerStack;
  readonly deployAccess: DeployAccessStack;
}

export interface SecureCartApp {
  readonly app: App;
  readonly environments: Record<string, SecureCartEnvironmentStacks>;
  /** The release manifest, collected from the constructs (throws if any name is a token). */
  manifest(): ReleaseManifest;
}

export interface BuildOptions {
  /** Context values (same keys as `cdk -c`); merged over cdk.json's context by the CLI. */
  readonly context?: Record<string, unknown>;
  readonly outdir?: string;
  /** Run cdk-nag AwsSolutionsChecks as an aspect (the CLI entry point always does). */
  readonly nag?: boolean;
}

/**
 * Feature flags set in code (not only cdk.json) so tests synthesize exactly what `cdk synth` does.
 * Cross-stack references (VPC, access-log bucket, order API URL) stay classic exports.
 */
export const FEATURE_FLAGS: Record<string, unknown> = {
  '@aws-cdk/core:defaultCrossStackReferences': 'strong',
  // S3 server access logs are granted by a bucket policy on the log bucket (logging.s3.amazonaws.com), not by
  // the LogDeliveryWrite ACL, which BucketOwnerEnforced object ownership disables.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

/** Stack names are part of the manifest, so they are fixed: `SecureCart-<Env>-<Part>`. */
export function stackName(config: EnvironmentConfig, part: string): string {
  return `SecureCart-${config.name[0]?.toUpperCase()}${config.name.slice(1)}-${part}`;
}

/** What each environment's deploy role may release, per platform kind (scopes its permissions by name). */
export const DEPLOY_ROLE_WORKLOADS: DeployAccessStackProps['workloads'] = {
  lambdaFunctions: ['order-processing', 'payments', 'fraud-detection', 'inventory-sync'],
  ecsServices: ['checkout', 'auth', 'order-batch'],
  codeDeployEcsServices: ['checkout'],
  stateMachines: ['fulfillment'],
  appRunnerServices: ['product-search'],
};

export function buildSecureCartApp(options: BuildOptions = {}): SecureCartApp {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: { ...FEATURE_FLAGS, ...options.context },
  });
  const repository = repositoryFromContext(app.node);
  const releaseVersion = String(app.node.tryGetContext('securecart:releaseVersion') ?? 'bootstrap');

  const environments: Record<string, SecureCartEnvironmentStacks> = {};
  for (const name of ENVIRONMENT_NAMES) {
    const config = environmentConfig(app.node, name);
    const env = { account: config.account, region: config.region };
    const props = (part: string) => ({ env, stackName: stackName(config, part), config });

    const deployAccess = new DeployAccessStack(app, stackName(config, 'DeployAccess'), {
      ...props('DeployAccess'),
      repository,
      createOidcProvider: app.node.tryGetContext(`securecart:${name}:createOidcProvider`) !== 'false',
      workloads: DEPLOY_ROLE_WORKLOADS,
    });
    const network = new NetworkStack(app, stackName(config, 'Network'), props('Network'));
    const serverless = new ServerlessStack(app, stackName(config, 'Serverless'), {
      ...props('Serverless'),
      releaseVersion,
    });
    const checkoutCertificateArn = app.node.tryGetContext(`securecart:${name}:checkoutCertificateArn`);
    const containers = new ContainersStack(app, stackName(config, 'Containers'), {
      ...props('Containers'),
      vpc: asInterface<IVpc>(network.vpc),
      accessLogBucket: asInterface<IBucket>(network.accessLogBucket),
      releaseVersion,
      orderApiUrl: serverless.orderApi.apiEndpoint,
      orderApiInvokeArn: serverless.orderApi.arnForExecuteApi('POST', '/orders', '$default'),
      ...(typeof checkoutCertificateArn === 'string' ? { checkoutCertificateArn } : {}),
    });
    const kubernetes = new KubernetesStack(app, stackName(config, 'Kubernetes'), {
      ...props('Kubernetes'),
      vpc: asInterface<IVpc>(network.vpc),
    });
    // The EKS access entry names the deploy role, which must exist first.
    kubernetes.addStackDependency(deployAccess, 'EKS access entry for the deploy role');
    const appRunner = new AppRunnerStack(app, stackName(config, 'AppRunner'), {
      ...props('AppRunner'),
      releaseVersion,
    });
    environments[name] = { config, network, serverless, containers, kubernetes, appRunner, deployAccess };
  }

  Tags.of(app).add('application', 'securecart');
  Tags.of(app).add('managed-by', 'tollgate-cdk');
  if (options.nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

  return { app, environments, manifest: () => ReleaseManifestRegistry.of(app).build() };
}
