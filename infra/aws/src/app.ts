import type { ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { App, Tags, Validations } from 'aws-cdk-lib';
import type { IVpc } from 'aws-cdk-lib/aws-ec2';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { DeployRoleWorkloads } from './access/deploy-role-permissions';
import type { GithubTrust } from './access/github-oidc';
import { EksEndpointCheck } from './checks/eks-endpoint';
import { asInterface } from './compat';
import {
  ENVIRONMENT_NAMES,
  type EnvironmentConfig,
  environmentConfig,
  repositoryFromContext,
} from './config';
import { ReleaseManifestRegistry } from './manifest/registry';
import { xrayServiceName } from './naming';
import { AppRunnerStack } from './stacks/app-runner-stack';
import { ContainersStack } from './stacks/containers-stack';
import { DeployAccessStack } from './stacks/deploy-access-stack';
import { KubernetesStack } from './stacks/kubernetes-stack';
import { NetworkStack } from './stacks/network-stack';
import { PlatformStack } from './stacks/platform-stack';
import { ServerlessStack } from './stacks/serverless-stack';

export interface SecureCartEnvironmentStacks {
  readonly config: EnvironmentConfig;
  readonly network: NetworkStack;
  readonly serverless: ServerlessStack;
  readonly containers: ContainersStack;
  readonly kubernetes: KubernetesStack;
  /** Only where product-search runs on App Runner (the default). */
  readonly appRunner?: AppRunnerStack;
  readonly deployAccess: DeployAccessStack;
  readonly platform: PlatformStack;
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

/**
 * Resource types the app-wide tags skip. Their CloudFormation schemas gained `Tags` only in 2026 (until then a
 * stack with them failed: "extraneous key [Tags] is not permitted", cloudformation-coverage-roadmap #1460,
 * #2038), the schemas CDK is generated from are the us-east-1/us-east-2/us-west-2 ones, and a tag on a listener,
 * rule or scalable target carries nothing SecureCart uses (cost allocation is by the resources that cost).
 */
export const UNTAGGED_RESOURCE_TYPES = [
  'AWS::ElasticLoadBalancingV2::Listener',
  'AWS::ElasticLoadBalancingV2::ListenerRule',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  // Its Tags are create-only: changing an app-wide tag would REPLACE the service, i.e. recreate it from the
  // bootstrap image and undo every release.
  'AWS::AppRunner::Service',
] as const;

/** The container workloads (one ECR repository each, wherever product-search runs). */
export const CONTAINER_WORKLOADS = ['auth', 'checkout', 'order-batch', 'product-search', 'recommendations'];

/** What each environment's deploy role may release, per platform kind (scopes its permissions by name). */
export function deployRoleWorkloads(config: EnvironmentConfig): DeployRoleWorkloads {
  const onFargate = config.productSearchPlatform === 'fargate';
  return {
    lambdaFunctions: ['order-processing', 'payments', 'fraud-detection', 'inventory-sync'],
    ecsServices: ['checkout', 'auth', 'order-batch', ...(onFargate ? ['product-search'] : [])],
    codeDeployEcsServices: ['checkout'],
    appRunnerServices: onFargate ? [] : ['product-search'],
  };
}

/** The services whose traces the gates read, with the X-Ray service name they report (one sampling rule each). */
function tracedServices(config: EnvironmentConfig): { workload: string; xrayServiceName: string }[] {
  const lambdas = ['order-processing', 'payments', 'fraud-detection', 'inventory-sync', 'fulfillment'];
  return [
    ...lambdas.map((workload) => ({ workload, xrayServiceName: xrayServiceName(config, workload) })),
    ...CONTAINER_WORKLOADS.map((workload) => ({ workload, xrayServiceName: workload })),
  ];
}

/** Context keys that used to exist and now would silently do nothing: refuse them, saying why. */
const RETIRED_CONTEXT: Record<string, string> = {
  'securecart:releaseVersion':
    'CloudFormation creates only the bootstrap artifacts (RELEASE_VERSION=bootstrap); releases set their own version',
};

function refuseRetiredContext(app: App): void {
  for (const [key, why] of Object.entries(RETIRED_CONTEXT)) {
    if (app.node.tryGetContext(key) !== undefined)
      throw new Error(`context "${key}" is no longer read: ${why}`);
  }
}

function githubTrust(app: App): GithubTrust {
  const workflow = app.node.tryGetContext('securecart:deployWorkflow');
  if (
    workflow !== undefined &&
    (typeof workflow !== 'string' || !/^\.github\/workflows\/[\w.-]+\.ya?ml@refs\/[\w./-]+$/.test(workflow))
  ) {
    throw new Error(
      `context "securecart:deployWorkflow" must look like .github/workflows/<file>.yml@refs/heads/<branch>, got ${JSON.stringify(workflow)}`,
    );
  }
  return { repository: repositoryFromContext(app.node), ...(workflow ? { workflow } : {}) };
}

function buildEnvironment(
  app: App,
  config: EnvironmentConfig,
  trust: GithubTrust,
): SecureCartEnvironmentStacks {
  const env = { account: config.account, region: config.region };
  const props = (part: string) => ({ env, stackName: stackName(config, part), config });
  const deployAccess = new DeployAccessStack(app, stackName(config, 'DeployAccess'), {
    ...props('DeployAccess'),
    trust,
    createOidcProvider: app.node.tryGetContext(`securecart:${config.name}:createOidcProvider`) !== 'false',
    workloads: deployRoleWorkloads(config),
    containerWorkloads: CONTAINER_WORKLOADS,
  });
  const platform = new PlatformStack(app, stackName(config, 'Platform'), {
    ...props('Platform'),
    containerWorkloads: CONTAINER_WORKLOADS,
    tracedServices: tracedServices(config),
  });
  const network = new NetworkStack(app, stackName(config, 'Network'), props('Network'));
  const serverless = new ServerlessStack(app, stackName(config, 'Serverless'), props('Serverless'));
  const containers = new ContainersStack(app, stackName(config, 'Containers'), {
    ...props('Containers'),
    vpc: asInterface<IVpc>(network.vpc),
    accessLogBucket: asInterface<IBucket>(network.accessLogBucket),
    orderApiUrl: serverless.orderApi.apiEndpoint,
    orderApiInvokeArn: serverless.orderApi.arnForExecuteApi('POST', '/orders', '$default'),
  });
  const kubernetes = new KubernetesStack(app, stackName(config, 'Kubernetes'), {
    ...props('Kubernetes'),
    vpc: asInterface<IVpc>(network.vpc),
  });
  // The EKS access entry names the deploy role, which must exist first.
  kubernetes.addStackDependency(deployAccess, 'EKS access entry for the deploy role');
  const appRunner =
    config.productSearchPlatform === 'apprunner'
      ? new AppRunnerStack(app, stackName(config, 'AppRunner'), props('AppRunner'))
      : undefined;
  // Services are created from `<repository>:bootstrap`: the repositories come first.
  for (const stack of [containers, kubernetes, ...(appRunner ? [appRunner] : [])]) {
    stack.addStackDependency(platform, 'images are pulled from its ECR repositories');
  }
  return {
    config,
    network,
    serverless,
    containers,
    kubernetes,
    deployAccess,
    platform,
    ...(appRunner ? { appRunner } : {}),
  };
}

export function buildSecureCartApp(options: BuildOptions = {}): SecureCartApp {
  const app = new App({
    ...(options.outdir ? { outdir: options.outdir } : {}),
    context: { ...FEATURE_FLAGS, ...options.context },
  });
  refuseRetiredContext(app);
  const trust = githubTrust(app);
  const environments: Record<string, SecureCartEnvironmentStacks> = {};
  for (const name of ENVIRONMENT_NAMES) {
    environments[name] = buildEnvironment(app, environmentConfig(app.node, name), trust);
  }
  const tagOptions = { excludeResourceTypes: [...UNTAGGED_RESOURCE_TYPES] };
  Tags.of(app).add('application', 'securecart', tagOptions);
  Tags.of(app).add('managed-by', 'tollgate-cdk', tagOptions);
  if (options.nag) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new EksEndpointCheck());
  }
  return { app, environments, manifest: () => ReleaseManifestRegistry.of(app).build() };
}
