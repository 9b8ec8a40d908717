import type {
  CreateDeploymentCommandInput,
  CreateDeploymentConfigCommandInput,
  GetDeploymentConfigCommandInput,
  GetDeploymentGroupCommandInput,
  GetDeploymentTargetCommandInput,
  ListDeploymentsCommandInput,
  ListDeploymentTargetsCommandInput,
  RegisterApplicationRevisionCommandInput,
  StopDeploymentCommandInput,
} from '@aws-sdk/client-codedeploy';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { AlarmState } from '../ecs/native-lifecycle';
import type { BlueGreenService } from '../ecs/task-sets';
import { AwsServiceError, type ServiceDefinition } from '../service';
import {
  createDeployment,
  getDeploymentTarget,
  listDeployments,
  listDeploymentTargets,
  type OperationsDeps,
  registerApplicationRevision,
  stopDeployment,
} from './codedeploy-operations';
import { CodeDeployStore, type DeploymentRecord } from './codedeploy-store';
import { DeploymentConfigs } from './deployment-configs';
import { CODEDEPLOY_TIMING, type CodeDeployTiming, runDeployment } from './deployment-run';
import { deploymentGroupInfoOf, deploymentInfoOf } from './deployment-views';
import { ecsDriver } from './ecs-traffic';
import { type LambdaOperations, lambdaDriver } from './lambda-traffic';
import { startRollback } from './rollback-deployment';
import type { TrafficDriver } from './traffic-driver';

export interface CodeDeployServiceOptions {
  clock: ScaledClock;
  /** The Lambda service's handlers (its `definition.operations`): GetAlias, UpdateAlias. */
  lambda?: LambdaOperations;
  /** The ECS service, whose CODE_DEPLOY services CodeDeploy deploys. */
  ecs?: { blueGreen(cluster: string, service: string): BlueGreenService };
  /** The state of CloudWatch alarms (the assembler wires it to the CloudWatch service). */
  alarmState?: AlarmState;
  timing?: Partial<CodeDeployTiming>;
}

export interface CodeDeployService {
  definition: ServiceDefinition;
  readonly store: CodeDeployStore;
  /** Resolves once every deployment started so far has ended. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** CodeDeploy for Lambda and ECS blue/green deployments, moving traffic on cloud time. */
export function createCodeDeployService(options: CodeDeployServiceOptions): CodeDeployService {
  const { clock } = options;
  const store = new CodeDeployStore(clock);
  const configs = new DeploymentConfigs(clock);
  const timing = { ...CODEDEPLOY_TIMING, ...options.timing };
  const drivers = new Map<string, TrafficDriver>();
  const running = new Set<Promise<void>>();
  const track = (run: Promise<void>) => {
    const tracked = run.catch(() => undefined).finally(() => running.delete(tracked));
    running.add(tracked);
  };
  const driverOf = (deployment: DeploymentRecord): TrafficDriver => {
    const { target } = deployment.group;
    const { spec } = deployment;
    if (target.kind === 'lambda' && spec.kind === 'lambda') {
      if (!options.lambda)
        throw new AwsServiceError(
          'InvalidLambdaFunctionException',
          'The local cloud runs no Lambda service.',
        );
      const context = { region: target.region, clock, requestId: `codedeploy-${deployment.id}` };
      return lambdaDriver(options.lambda, context, {
        ...spec,
        region: target.region,
        account: target.account,
      });
    }
    if (target.kind === 'ecs' && spec.kind === 'ecs') {
      if (!options.ecs)
        throw new AwsServiceError('InvalidECSServiceException', 'The local cloud runs no ECS service.');
      const service = options.ecs.blueGreen(target.cluster, target.service);
      return ecsDriver(service, deployment.id, { ...spec, targetGroups: target.targetGroups });
    }
    throw new AwsServiceError('InvalidRevisionException', 'The AppSpec does not fit the deployment group.');
  };
  const start = (deployment: DeploymentRecord) => {
    const driver = driverOf(deployment);
    drivers.set(deployment.id, driver);
    const rollBack = (failed: DeploymentRecord, failedDriver: TrafficDriver) =>
      startRollback({ store, clock, timing, drivers, track }, failed, failedDriver);
    const context = { clock, deployment, driver, timing, rollBack };
    track(runDeployment(options.alarmState ? { ...context, alarmState: options.alarmState } : context));
  };
  const deps: OperationsDeps = { store, configs, now: () => clock.now(), drivers, start };
  const operations = {
    CreateDeployment: (input: CreateDeploymentCommandInput) => createDeployment(deps, input),
    RegisterApplicationRevision: (input: RegisterApplicationRevisionCommandInput) =>
      registerApplicationRevision(deps, input),
    GetDeployment: (input: { deploymentId?: string }) => ({
      deploymentInfo: deploymentInfoOf(store.deployment(input.deploymentId)),
    }),
    GetDeploymentGroup: (input: GetDeploymentGroupCommandInput) => ({
      deploymentGroupInfo: deploymentGroupInfoOf(
        store,
        store.group(input.applicationName, input.deploymentGroupName),
      ),
    }),
    ListDeployments: (input: ListDeploymentsCommandInput) => listDeployments(deps, input),
    ListDeploymentTargets: (input: ListDeploymentTargetsCommandInput) =>
      listDeploymentTargets(deps, input.deploymentId),
    GetDeploymentTarget: (input: GetDeploymentTargetCommandInput) => getDeploymentTarget(deps, input),
    StopDeployment: (input: StopDeploymentCommandInput) => stopDeployment(deps, input),
    GetDeploymentConfig: (input: GetDeploymentConfigCommandInput) => ({
      deploymentConfigInfo: configs.info(input.deploymentConfigName ?? ''),
    }),
    CreateDeploymentConfig: (input: CreateDeploymentConfigCommandInput) => configs.create(input),
  };
  return {
    definition: {
      signingName: 'codedeploy',
      sdkPackage: '@aws-sdk/client-codedeploy',
      protocol: 'awsJson1_1',
      targetPrefix: 'CodeDeploy_20141006',
      operations,
    },
    store,
    async settled() {
      while (running.size > 0) await Promise.all([...running]);
    },
    async close() {
      for (const deployment of store.deployments) deployment.signals.shutdown();
      await Promise.all([...running]);
    },
  };
}
