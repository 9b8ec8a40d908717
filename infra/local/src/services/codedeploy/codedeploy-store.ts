import type {
  ComputePlatform,
  DeploymentStatus,
  ErrorCode,
  LifecycleEvent,
  RevisionLocation,
  RollbackInfo,
  TrafficRoutingConfig,
} from '@aws-sdk/client-codedeploy';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { DeploymentSignals } from '../ecs/deployment-signals';
import { AwsServiceError } from '../service';
import type { AppSpecTarget } from './appspec';

export interface ApplicationRecord {
  name: string;
  id: string;
  platform: ComputePlatform;
  createTime: number;
  revisions: { revision: RevisionLocation; description?: string; registerTime: number }[];
}

/** Where a deployment group deploys to: a Lambda alias, or an ECS service behind its ALB. */
export type GroupTarget =
  | { kind: 'lambda'; functionName: string; alias: string; region: string; account: string }
  | {
      kind: 'ecs';
      cluster: string;
      service: string;
      region: string;
      account: string;
      targetGroups: { blue: string; green: string };
      productionListenerPort: number;
      testListenerPort: number;
      /** How long the original task set keeps running after all traffic moved (terminationWaitTime). */
      terminationWaitMinutes: number;
    };

export interface DeploymentGroupRecord {
  application: ApplicationRecord;
  name: string;
  id: string;
  deploymentConfigName: string;
  alarms: string[];
  alarmsEnabled: boolean;
  autoRollback: { enabled: boolean; events: string[] };
  serviceRoleArn: string;
  target: GroupTarget;
}

/** One deployment: a release's, or a rollback CodeDeploy created. */
export interface DeploymentRecord {
  id: string;
  group: DeploymentGroupRecord;
  configName: string;
  routing: TrafficRoutingConfig | undefined;
  revision: RevisionLocation;
  spec: AppSpecTarget;
  description?: string;
  creator: 'user' | 'codeDeployRollback';
  status: DeploymentStatus;
  createTime: number;
  startTime?: number;
  completeTime?: number;
  error?: { code: ErrorCode; message: string };
  rollbackInfo?: RollbackInfo;
  events: LifecycleEvent[];
  /** The new revision's share of traffic now, 0..100. */
  weight: number;
  /** Why it is being stopped (StopDeployment, an alarm), set before its run is interrupted. */
  stopRequest?: StopRequest;
  signals: DeploymentSignals;
}

export interface StopRequest {
  status: 'Stopped' | 'Failed';
  code: ErrorCode;
  message: string;
  rollback: boolean;
}

const ACTIVE: ReadonlySet<DeploymentStatus> = new Set(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);

export const isActive = (deployment: DeploymentRecord) => ACTIVE.has(deployment.status);

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Applications, deployment groups and deployments by name and id. */
export class CodeDeployStore {
  readonly applications = new Map<string, ApplicationRecord>();
  readonly groups = new Map<string, DeploymentGroupRecord>();
  readonly deployments: DeploymentRecord[] = [];

  constructor(private readonly clock: ScaledClock) {}

  application(name: string | undefined): ApplicationRecord {
    const application = this.applications.get(name ?? '');
    if (!application)
      throw new AwsServiceError('ApplicationDoesNotExistException', `No application found for name: ${name}`);
    return application;
  }

  group(applicationName: string | undefined, name: string | undefined): DeploymentGroupRecord {
    const application = this.application(applicationName);
    const group = this.groups.get(`${application.name}/${name ?? ''}`);
    if (!group)
      throw new AwsServiceError(
        'DeploymentGroupDoesNotExistException',
        `No Deployment Group found for name: ${name} of application ${application.name}`,
      );
    return group;
  }

  deployment(id: string | undefined): DeploymentRecord {
    if (!id || !/^d-[A-Z0-9]{9}$/.test(id))
      throw new AwsServiceError(
        'InvalidDeploymentIdException',
        `The deployment id ${id} is not valid: it looks like d-XXXXXXXXX.`,
      );
    const deployment = this.deployments.find((candidate) => candidate.id === id);
    if (!deployment)
      throw new AwsServiceError('DeploymentDoesNotExistException', `Deployment ${id} does not exist`);
    return deployment;
  }

  /** The group's deployments, newest first. */
  deploymentsOf(group: DeploymentGroupRecord): DeploymentRecord[] {
    return this.deployments.filter((deployment) => deployment.group === group).reverse();
  }

  newDeployment(
    fields: Omit<DeploymentRecord, 'id' | 'status' | 'createTime' | 'events' | 'weight' | 'signals'>,
  ) {
    const deployment: DeploymentRecord = {
      ...fields,
      id: this.newId(),
      status: 'Created',
      createTime: this.clock.now(),
      events: [],
      weight: 0,
      signals: new DeploymentSignals(this.clock),
    };
    this.deployments.push(deployment);
    return deployment;
  }

  private newId(): string {
    for (;;) {
      let id = 'd-';
      for (let i = 0; i < 9; i += 1) id += ID_ALPHABET[Math.floor(Math.random() * ID_ALPHABET.length)];
      if (!this.deployments.some((deployment) => deployment.id === id)) return id;
    }
  }
}
