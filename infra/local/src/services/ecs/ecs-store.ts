import type { DeploymentConfiguration, Tag } from '@aws-sdk/client-ecs';
import type { ContainerRuntime } from '../../runtime/container-runtime';
import { AwsServiceError } from '../service';
import { clusterArn, type Home, nameOf, serviceArn, serviceRevisionArn } from './ecs-arns';
import type { LoadBalancer, TargetGroupLabel } from './load-balancer';
import type { NativeDeployment } from './native-deployment';
import type { RevisionTasks } from './revision-tasks';
import type { ServiceRevisionRecord } from './service-revision-record';
import type { TaskSetRecord } from './task-set-record';

export interface ClusterRecord {
  name: string;
  arn: string;
  home: Home;
}

/** What serves the service's production traffic outside a deployment: its tasks, in one target group. */
export interface LiveRevision {
  revision: ServiceRevisionRecord;
  group: TargetGroupLabel;
  tasks?: RevisionTasks;
}

export interface EcsServiceRecord {
  cluster: ClusterRecord;
  name: string;
  arn: string;
  /** The SecureCart workload its tasks run. */
  workload: string;
  containerName: string;
  containerPort: number;
  desiredCount: number;
  controller: 'ECS' | 'CODE_DEPLOY';
  taskDefinition: string;
  deploymentConfiguration: DeploymentConfiguration;
  loadBalancer?: LoadBalancer;
  /** Where its tasks run (one local process per task). */
  runtime?: ContainerRuntime;
  createdAt: number;
  live: LiveRevision;
  /** ECS controller: its service deployments, oldest first. */
  deployments: NativeDeployment[];
  /** CODE_DEPLOY controller: its task sets (the PRIMARY one, and a deployment's replacement). */
  taskSets: TaskSetRecord[];
  tags: Tag[];
}

/** Clusters and services by name; ARNs are accepted wherever ECS accepts them. */
export class EcsStore {
  private readonly clusters = new Map<string, ClusterRecord>();
  private readonly services = new Map<string, EcsServiceRecord>();
  private readonly revisions = new Map<string, ServiceRevisionRecord>();
  private revisionCount = 0;
  private taskSetCount = 0;

  addCluster(name: string, home: Home): ClusterRecord {
    const known = this.clusters.get(name);
    if (known) return known;
    const cluster = { name, arn: clusterArn(home, name), home };
    this.clusters.set(name, cluster);
    return cluster;
  }

  cluster(reference: string | undefined): ClusterRecord {
    const cluster = this.clusters.get(nameOf(reference ?? 'default'));
    if (!cluster) throw new AwsServiceError('ClusterNotFoundException', 'Cluster not found.');
    return cluster;
  }

  addService(record: Omit<EcsServiceRecord, 'arn'>): EcsServiceRecord {
    const service = { ...record, arn: serviceArn(record.cluster.home, record.cluster.name, record.name) };
    this.services.set(`${record.cluster.name}/${record.name}`, service);
    return service;
  }

  /** The service, or undefined when the cluster has none of that name. */
  findService(cluster: ClusterRecord, reference: string): EcsServiceRecord | undefined {
    return this.services.get(`${cluster.name}/${nameOf(reference)}`);
  }

  service(clusterReference: string | undefined, reference: string): EcsServiceRecord {
    const service = this.findService(this.cluster(clusterReference), reference);
    if (!service) throw new AwsServiceError('ServiceNotFoundException', 'Service not found.');
    return service;
  }

  allServices(): EcsServiceRecord[] {
    return [...this.services.values()];
  }

  /** The service whose ARN prefixes `arn` (a service deployment's or revision's ARN names its service). */
  serviceOfResource(arn: string): EcsServiceRecord | undefined {
    const [, cluster, service] = arn.split('/');
    if (!cluster || !service) return undefined;
    return this.services.get(`${cluster}/${service}`);
  }

  /** A new service revision of `cluster/service` running `taskDefinition`. */
  addRevision(cluster: ClusterRecord, service: string, taskDefinition: string, now: number) {
    this.revisionCount += 1;
    const id = String(this.revisionCount).padStart(19, '0');
    const revision = {
      arn: serviceRevisionArn(cluster.home, cluster.name, service, id),
      taskDefinition,
      createdAt: now,
    };
    this.revisions.set(revision.arn, revision);
    return revision;
  }

  nextTaskSetId(): string {
    this.taskSetCount += 1;
    return String(this.taskSetCount).padStart(19, '0');
  }

  findRevision(arn: string): ServiceRevisionRecord | undefined {
    return this.revisions.get(arn);
  }
}
