import type {
  ContinueServiceDeploymentCommandInput as ContinueInput,
  DescribeServiceDeploymentsCommandInput as DescribeDeploymentsInput,
  DescribeServiceRevisionsCommandInput as DescribeRevisionsInput,
  DescribeServicesCommandInput,
  DescribeTaskDefinitionCommandInput,
  ListServiceDeploymentsCommandInput,
  ListTaskDefinitionsCommandInput,
  RegisterTaskDefinitionCommandInput,
  StopServiceDeploymentCommandInput,
  TagResourceCommandInput,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-ecs';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { FaultPlan } from '../../faults/fault-plan';
import type { ContainerRuntime } from '../../runtime/container-runtime';
import { AwsServiceError, type ServiceDefinition } from '../service';
import {
  continueServiceDeployment,
  describeServiceDeployments,
  describeServiceRevisions,
  listServiceDeployments,
  stopServiceDeployment,
} from './deployment-operations';
import type { Home } from './ecs-arns';
import { type EcsServiceRecord, EcsStore } from './ecs-store';
import type { NativeDeployment } from './native-deployment';
import { type AlarmState, NATIVE_TIMING, type NativeTiming, runNativeDeployment } from './native-lifecycle';
import { type RevisionTasks, startRevisionTasks } from './revision-tasks';
import { describeServices, updateService } from './service-operations';
import { TaskDefinitionStore } from './task-definitions';
import { type BlueGreenService, blueGreenService } from './task-sets';

export interface EcsServiceOptions {
  clock: ScaledClock;
  faults: FaultPlan;
  /** The state of CloudWatch alarms, for deployment alarms (`deploymentConfiguration.alarms`). */
  alarmState?: AlarmState;
  /** Cloud-time durations of the lifecycle steps ECS runs by itself. */
  timing?: Partial<NativeTiming>;
  /** Where task definitions registered for a family nobody provisioned live (default 000000000000). */
  defaultHome?: Home;
}

/** The `http` entry point of a workload: its production listener. */
export interface HttpEntryPoint {
  kind: 'http';
  url: string;
}

export interface EcsService {
  definition: ServiceDefinition;
  readonly clock: ScaledClock;
  readonly store: EcsStore;
  readonly taskDefinitions: TaskDefinitionStore;
  /** Registers which ECS service a workload's target is (provisioning does). */
  registerEntry(workload: string, environment: string, service: EcsServiceRecord): void;
  /** The production listener of the workload's load balancer. */
  entryPoint(workload: string, environment: string): HttpEntryPoint;
  /** A CODE_DEPLOY service, for CodeDeploy to create, shift and remove its task sets. */
  blueGreen(cluster: string, service: string): BlueGreenService;
  /** Starts the tasks of a task definition for a service (provisioning and deployments). */
  launch(service: EcsServiceRecord, taskDefinition: string): Promise<RevisionTasks>;
  /** Resolves once every deployment started so far has ended (for tests and an orderly close). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** ECS as the local cloud serves it: task definitions, services, and their deployments on cloud time. */
export function createEcsService(options: EcsServiceOptions): EcsService {
  const { clock } = options;
  const store = new EcsStore();
  const home = options.defaultHome ?? { region: 'eu-west-1', account: '000000000000' };
  const taskDefinitions = new TaskDefinitionStore(clock, home);
  const timing = { ...NATIVE_TIMING, ...options.timing };
  const entries = new Map<string, EcsServiceRecord>();
  const running = new Set<Promise<void>>();
  const started = new Set<RevisionTasks>();

  const launch = async (service: EcsServiceRecord, taskDefinition: string) => {
    const runtime: ContainerRuntime | undefined = service.runtime;
    if (!runtime) throw new Error(`ECS service ${service.name} has no container runtime to run tasks on`);
    const tasks = await startRevisionTasks(taskDefinitions.get(taskDefinition).taskDefinition, {
      runtime,
      faults: options.faults,
      workload: service.workload,
      containerName: service.containerName,
      count: service.desiredCount,
    });
    started.add(tasks);
    return tasks;
  };
  const deploy = (service: EcsServiceRecord, deployment: NativeDeployment) => {
    const context = { clock, service, deployment, timing, launch: (td: string) => launch(service, td) };
    const run = runNativeDeployment(
      options.alarmState ? { ...context, alarmState: options.alarmState } : context,
    )
      .catch((error: unknown) => {
        deployment.statusReason = `the local cloud failed running this deployment: ${String(error)}`;
        deployment.setStatus('ROLLBACK_FAILED');
      })
      .finally(() => running.delete(run));
    running.add(run);
  };
  const deps = { clock, store, taskDefinitions, deploy };
  const operations = {
    DescribeServices: (input: DescribeServicesCommandInput) => describeServices(deps, input),
    UpdateService: (input: UpdateServiceCommandInput) => updateService(deps, input),
    ListServiceDeployments: (input: ListServiceDeploymentsCommandInput) =>
      listServiceDeployments(store, input),
    DescribeServiceDeployments: (input: DescribeDeploymentsInput) => describeServiceDeployments(store, input),
    DescribeServiceRevisions: (input: DescribeRevisionsInput) => describeServiceRevisions(store, input),
    ContinueServiceDeployment: (input: ContinueInput) => continueServiceDeployment(store, input),
    StopServiceDeployment: (input: StopServiceDeploymentCommandInput) => stopServiceDeployment(store, input),
    RegisterTaskDefinition: (input: RegisterTaskDefinitionCommandInput) => {
      const { taskDefinition, tags } = taskDefinitions.register(input);
      return { taskDefinition: structuredClone(taskDefinition), tags: structuredClone(tags) };
    },
    DescribeTaskDefinition: (input: DescribeTaskDefinitionCommandInput) => taskDefinitions.describe(input),
    ListTaskDefinitions: (input: ListTaskDefinitionsCommandInput) => taskDefinitions.list(input),
    TagResource: (input: TagResourceCommandInput) => {
      const tags = input.tags ?? [];
      const service = store.allServices().find((candidate) => candidate.arn === input.resourceArn);
      if (service)
        service.tags = [...service.tags.filter((t) => !tags.some((n) => n.key === t.key)), ...tags];
      else if (!taskDefinitions.tag(input.resourceArn ?? '', tags))
        throw new AwsServiceError(
          'InvalidParameterException',
          `The specified resource ${input.resourceArn} does not exist.`,
        );
      return {};
    },
  };
  return {
    definition: {
      signingName: 'ecs',
      sdkPackage: '@aws-sdk/client-ecs',
      protocol: 'awsJson1_1',
      targetPrefix: 'AmazonEC2ContainerServiceV20141113',
      operations,
    },
    clock,
    store,
    taskDefinitions,
    registerEntry: (workload, environment, service) => entries.set(`${workload}/${environment}`, service),
    entryPoint(workload, environment) {
      const url = entries.get(`${workload}/${environment}`)?.loadBalancer?.url;
      if (!url) throw new Error(`no ECS service with a load balancer runs ${workload} in ${environment}`);
      return { kind: 'http', url };
    },
    blueGreen: (cluster, service) =>
      blueGreenService({ store, now: () => clock.now(), launch }, cluster, service),
    launch,
    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },
    async close() {
      for (const service of store.allServices())
        for (const deployment of service.deployments) deployment.signals.shutdown();
      await Promise.all([...started].map((tasks) => tasks.stop().catch(() => undefined)));
      await Promise.all(
        store.allServices().map((service) => service.loadBalancer?.close().catch(() => undefined)),
      );
    },
  };
}
