import { z } from 'zod';
import { InputError } from '../errors/input-error';
import { alarmRuleSchema, alarmRulesMatchAlarms } from './alarm-rule';

export type { AlarmRule } from './alarm-rule';

/**
 * The release manifest: the kit's description of its targets, i.e. everything the engine and the actions
 * need to find a workload in an environment. SecureCart's is generated from its CDK app
 * (`infra/aws/scripts/release-manifest.ts`); every value is a literal physical name, never a token (a value
 * only CloudFormation knows, such as an ALB's full name in an alarm's dimension, is a reference to the
 * resource's literal name: see `alarm-rule.ts`).
 */

export const PLATFORM_KINDS = ['lambda', 'ecs', 'eks', 'apprunner', 'stepfunctions', 'ecs-ec2'] as const;
export const platformKindSchema = z.enum(PLATFORM_KINDS);
export type PlatformKind = z.infer<typeof platformKindSchema>;

const name = z.string().min(1);
const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');

/**
 * The ECR repository URI release images of a container target are pushed to (`<uri>:<release>`), e.g.
 * `123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/staging/checkout`. Optional (added after schema version 1
 * was published): manifests without it stay valid.
 */
const imageRepository = z
  .string()
  .regex(/^\d{12}\.dkr\.ecr\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/[a-z0-9._/-]+$/, 'an ECR repository URI')
  .optional();

const codeDeploySchema = z.strictObject({
  application: name,
  deploymentGroup: name,
  /** The deployment config the group defaults to (CodeDeployDefault.* or a custom name). */
  deploymentConfig: name,
});

const commonTarget = {
  environment: name,
  account: accountId,
  region: name,
  /** CloudFormation stack that owns the workload's resources. */
  stack: name,
  /** Names of the CloudWatch alarms that gate a release; any in ALARM fails the step. */
  alarms: z.array(name).min(1),
  /**
   * Each gating alarm's full rule (metric or metric math, statistic, period, threshold, comparison,
   * evaluation periods, datapoints, missing-data treatment), one per name in `alarms`, in the same order,
   * in CloudWatch's PutMetricAlarm shape: what a local cloud provisions the same alarms from. The engine
   * reads only `alarms` (it asks CloudWatch for their state). Optional: SecureCart's generated manifest
   * always carries it, while hand-written targets (the engine's test fixtures, older manifests) need not.
   */
  alarmRules: z.array(alarmRuleSchema).optional(),
  /** The service name traces are recorded under in X-Ray. */
  xrayServiceName: name,
  logGroup: name,
};

export const lambdaTargetSchema = z
  .strictObject({
    platform: z.literal('lambda'),
    ...commonTarget,
    functionName: name,
    alias: name,
    codeDeploy: codeDeploySchema,
  })
  .superRefine(alarmRulesMatchAlarms);

export const ecsTargetSchema = z
  .strictObject({
    platform: z.literal('ecs'),
    ...commonTarget,
    /** `codedeploy-blue-green`: CodeDeploy ECS deployment; `ecs-canary`: ECS-native CANARY strategy. */
    strategy: z.enum(['codedeploy-blue-green', 'ecs-canary']),
    clusterName: name,
    serviceName: name,
    taskFamily: name,
    containerName: name,
    containerPort: z.number().int().positive(),
    imageRepository,
    loadBalancerName: name,
    productionListenerPort: z.number().int().positive(),
    testListenerPort: z.number().int().positive(),
    targetGroups: z.strictObject({ blue: name, green: name }),
    codeDeploy: codeDeploySchema.optional(),
    /** ECS-native canary: the weight of its first step. Its bake is the policy's (ECS's own step bake is 0). */
    canary: z.strictObject({ stepPercent: z.number().positive() }).optional(),
  })
  .superRefine(alarmRulesMatchAlarms);

/**
 * An ECS service on EC2 capacity (an Auto Scaling group capacity provider), released by an ECS rolling
 * update: a release registers a task definition revision and updates the service; ECS rolls back by itself
 * on the deployment circuit breaker or when one of `alarms` fires (`deploymentAlarms`, ROLLBACK_ON_ALARM).
 */
export const ecsEc2TargetSchema = z
  .strictObject({
    platform: z.literal('ecs-ec2'),
    ...commonTarget,
    strategy: z.literal('rolling'),
    clusterName: name,
    serviceName: name,
    taskFamily: name,
    containerName: name,
    imageRepository,
    capacityProvider: name,
    autoScalingGroupName: name,
    /** The service's deployment configuration (percent of the desired count). */
    rolling: z.strictObject({
      minHealthyPercent: z.number().int().nonnegative(),
      maxPercent: z.number().int().positive(),
    }),
  })
  .superRefine(alarmRulesMatchAlarms);

export const kubernetesObjectSchema = z.strictObject({ apiVersion: name, kind: name, name });

export const eksTargetSchema = z
  .strictObject({
    platform: z.literal('eks'),
    ...commonTarget,
    clusterName: name,
    namespace: name,
    /** The Kubernetes objects from the workload's manifests, in apply order. */
    objects: z.array(kubernetesObjectSchema),
    /** Where the manifests live in the repository, relative to its root. */
    manifestsPath: name,
    imageRepository,
  })
  .superRefine(alarmRulesMatchAlarms);

export const appRunnerTargetSchema = z
  .strictObject({
    platform: z.literal('apprunner'),
    ...commonTarget,
    serviceName: name,
    imageRepository,
  })
  .superRefine(alarmRulesMatchAlarms);

export const stepFunctionsTargetSchema = z
  .strictObject({
    platform: z.literal('stepfunctions'),
    ...commonTarget,
    stateMachineName: name,
    alias: name,
  })
  .superRefine(alarmRulesMatchAlarms);

export const releaseTargetSchema = z.discriminatedUnion('platform', [
  lambdaTargetSchema,
  ecsTargetSchema,
  ecsEc2TargetSchema,
  eksTargetSchema,
  appRunnerTargetSchema,
  stepFunctionsTargetSchema,
]);

export const workloadEntrySchema = z.strictObject({
  platform: platformKindSchema,
  environments: z.record(name, releaseTargetSchema),
});

export const environmentEntrySchema = z.strictObject({
  account: accountId,
  region: name,
  deployRoleName: name,
  deployRoleArn: name,
  /** The exact OIDC `sub` claims allowed to assume the deploy role. */
  oidcSubjects: z.array(name).min(1),
  /**
   * Where releases read traces in this account and Region: `xray` (trace summaries, the default) or
   * `spans` (the aws/spans log group, once CloudWatch Transaction Search is on: see docs/signals-cost.md).
   */
  traceSource: z.enum(['xray', 'spans']).optional(),
});

export const releaseManifestSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    application: name,
    repository: z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'OWNER/REPO'),
    environments: z.record(name, environmentEntrySchema),
    workloads: z.record(name, workloadEntrySchema),
  })
  .superRefine((manifest, ctx) => {
    for (const [workload, entry] of Object.entries(manifest.workloads)) {
      for (const [env, target] of Object.entries(entry.environments)) {
        if (target.platform !== entry.platform) {
          ctx.addIssue({
            code: 'custom',
            path: ['workloads', workload, 'environments', env, 'platform'],
            message: `target platform "${target.platform}" differs from workload platform "${entry.platform}"`,
          });
        }
        if (target.environment !== env) {
          ctx.addIssue({
            code: 'custom',
            path: ['workloads', workload, 'environments', env, 'environment'],
            message: `target says environment "${target.environment}" but is filed under "${env}"`,
          });
        }
        if (!(env in manifest.environments)) {
          ctx.addIssue({
            code: 'custom',
            path: ['workloads', workload, 'environments', env],
            message: `environment "${env}" is not declared in environments`,
          });
        }
      }
    }
  });

export type LambdaTarget = z.infer<typeof lambdaTargetSchema>;
export type EcsTarget = z.infer<typeof ecsTargetSchema>;
export type EcsEc2Target = z.infer<typeof ecsEc2TargetSchema>;
export type EksTarget = z.infer<typeof eksTargetSchema>;
export type AppRunnerTarget = z.infer<typeof appRunnerTargetSchema>;
export type StepFunctionsTarget = z.infer<typeof stepFunctionsTargetSchema>;
export type ReleaseTarget = z.infer<typeof releaseTargetSchema>;
export type WorkloadEntry = z.infer<typeof workloadEntrySchema>;
export type EnvironmentEntry = z.infer<typeof environmentEntrySchema>;
export type ReleaseManifest = z.infer<typeof releaseManifestSchema>;

/** Parse and validate a manifest (e.g. the checked-in `infra/aws/release-manifest.json`). */
export function parseReleaseManifest(input: unknown, source?: string): ReleaseManifest {
  const result = releaseManifestSchema.safeParse(input);
  if (!result.success) {
    const issues = result.error.issues
      .map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('\n');
    throw new InputError(`invalid release manifest${source ? ` ${source}` : ''}:\n${issues}`);
  }
  return result.data;
}

/** Look up one workload in one environment, with an error that says what is missing. */
export function findTarget(manifest: ReleaseManifest, workload: string, environment: string): ReleaseTarget {
  const entry = manifest.workloads[workload];
  if (!entry) {
    throw new InputError(
      `workload "${workload}" is not in the release manifest (known: ${Object.keys(manifest.workloads).join(', ')})`,
    );
  }
  const target = entry.environments[environment];
  if (!target) {
    throw new InputError(
      `workload "${workload}" has no "${environment}" environment (known: ${Object.keys(entry.environments).join(', ')})`,
    );
  }
  return target;
}
