import {
  ClientException,
  DescribeTaskDefinitionCommand,
  type DescribeTaskDefinitionCommandInput,
  ListTaskDefinitionsCommand,
  type ListTaskDefinitionsCommandInput,
  RegisterTaskDefinitionCommand,
  type RegisterTaskDefinitionCommandInput,
  type Tag,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import type { AwsStub } from 'aws-sdk-client-mock';
import { ecsModelled } from './ecs-model';
import type { Refusals } from './fake-refusals';

export const REGION = 'eu-west-1';
export const ACCOUNT = '222222222222';
export const TASK_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop-production-auth-task`;
export const EXECUTION_ROLE = `arn:aws:iam::${ACCOUNT}:role/shop-production-auth-exec`;
const SIDECAR = 'otel-collector';

// biome-ignore lint/suspicious/noExplicitAny: aws-sdk-client-mock's stub is generic over every client
type AnyStub = AwsStub<any, any, any>;

/**
 * The live revision as CDK registers the workload's task definition: the app container (with RELEASE_VERSION,
 * a secret, a dependency on the sidecar) and the ADOT sidecar, Fargate, roles, and the stack's tags.
 */
export function liveRegistration(family: string, container: string, image: string, version: string) {
  const registration: RegisterTaskDefinitionCommandInput = {
    family,
    taskRoleArn: TASK_ROLE,
    executionRoleArn: EXECUTION_ROLE,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' },
    containerDefinitions: [
      {
        name: container,
        image,
        essential: true,
        portMappings: [{ containerPort: 8080, protocol: 'tcp', name: 'http' }],
        environment: [
          { name: 'PORT', value: '8080' },
          { name: 'RELEASE_VERSION', value: version },
          { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://localhost:4318' },
        ],
        secrets: [
          { name: 'AUTH_SIGNING_KEY', valueFrom: `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:key` },
        ],
        dependsOn: [{ containerName: SIDECAR, condition: 'START' }],
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${family}` } },
        stopTimeout: 30,
      },
      {
        name: SIDECAR,
        image: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.43.1',
        essential: true,
        logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': `/ecs/${family}` } },
      },
    ],
    tags: [
      { key: 'aws:cloudformation:stack-name', value: 'Shop-production' },
      { key: 'team', value: 'identity' },
    ],
  };
  return registration;
}

/** ECS task definitions in memory: revisions per family, tags, and the read-only fields ECS adds. */
export class FakeTaskDefinitions {
  private readonly revisions = new Map<string, { taskDefinition: TaskDefinition; tags: Tag[] }>();

  constructor(
    private readonly now: () => number,
    private readonly refusals: Refusals,
  ) {}

  install(stub: AnyStub): void {
    stub.on(DescribeTaskDefinitionCommand).callsFake((input) => this.describe(input));
    stub.on(RegisterTaskDefinitionCommand).callsFake((input) => {
      this.refusals.check('RegisterTaskDefinition');
      return this.register(input);
    });
    stub.on(ListTaskDefinitionsCommand).callsFake((input) => {
      this.refusals.check('ListTaskDefinitions');
      return this.list(input);
    });
  }

  /** Registers as CloudFormation or a build would, outside the adapter (aws: tags allowed). */
  add(registration: RegisterTaskDefinitionCommandInput): string {
    return this.store(registration);
  }

  /** The release a revision's container declares, for the fakes' traffic history. */
  releaseOf(arn: string, container: string): string {
    const definition = this.revisions.get(arn)?.taskDefinition;
    const app = definition?.containerDefinitions?.find((c) => c.name === container);
    return app?.environment?.find((variable) => variable.name === 'RELEASE_VERSION')?.value ?? arn;
  }

  has(arn: string): boolean {
    return this.revisions.has(arn);
  }

  get(arn: string): { taskDefinition: TaskDefinition; tags: Tag[] } | undefined {
    return this.revisions.get(arn);
  }

  private describe(input: DescribeTaskDefinitionCommandInput) {
    const found = this.revisions.get(input.taskDefinition ?? '');
    if (!found) throw new ClientException({ message: 'Unable to describe task definition.', $metadata: {} });
    const tags = input.include?.includes('TAGS') ? { tags: found.tags } : {};
    return ecsModelled('DescribeTaskDefinition', { taskDefinition: found.taskDefinition, ...tags });
  }

  private register(input: RegisterTaskDefinitionCommandInput) {
    if ((input.tags ?? []).some((tag) => tag.key?.startsWith('aws:')))
      throw new ClientException({ message: 'Tag keys prefixed with "aws:" are reserved.', $metadata: {} });
    const arn = this.store(input);
    const stored = this.revisions.get(arn);
    return ecsModelled('RegisterTaskDefinition', {
      taskDefinition: stored?.taskDefinition,
      tags: stored?.tags,
    });
  }

  private list(input: ListTaskDefinitionsCommandInput) {
    const arns = [...this.revisions.values()]
      .map((revision) => revision.taskDefinition)
      .filter((definition) => definition.family?.startsWith(input.familyPrefix ?? ''))
      .filter((definition) => !input.status || definition.status === input.status)
      .sort((a, b) => ((a.revision ?? 0) - (b.revision ?? 0)) * (input.sort === 'DESC' ? -1 : 1))
      .map((definition) => definition.taskDefinitionArn ?? '');
    return ecsModelled('ListTaskDefinitions', { taskDefinitionArns: arns.slice(0, input.maxResults ?? 100) });
  }

  private store(registration: RegisterTaskDefinitionCommandInput): string {
    const { tags, ...fields } = registration;
    const family = fields.family ?? '';
    const revision =
      [...this.revisions.values()].filter((known) => known.taskDefinition.family === family).length + 1;
    const arn = `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/${family}:${revision}`;
    const taskDefinition: TaskDefinition = {
      ...structuredClone(fields),
      taskDefinitionArn: arn,
      revision,
      status: 'ACTIVE',
      compatibilities: ['EC2', 'FARGATE'],
      requiresAttributes: [{ name: 'com.amazonaws.ecs.capability.task-iam-role' }],
      registeredAt: new Date(this.now()),
      registeredBy: `arn:aws:sts::${ACCOUNT}:assumed-role/shop-production-deploy/tollgate`,
    };
    this.revisions.set(arn, { taskDefinition, tags: structuredClone(tags ?? []) });
    return arn;
  }
}
