import { createHash } from 'node:crypto';
import type {
  OperationSummary,
  Service,
  ServiceStatus,
  ServiceSummary,
  SourceConfiguration,
  Tag,
} from '@aws-sdk/client-apprunner';
import type { RunningContainer } from '../../runtime/container-runtime';
import type { WeightedRouter } from '../../runtime/weighted-router';

/** One App Runner service: its configuration, its operations (oldest first), tags and what serves it. */
export interface ServiceRecord {
  name: string;
  id: string;
  arn: string;
  account: string;
  region: string;
  /** The SecureCart workload its image runs. */
  workload: string;
  createdAt: number;
  updatedAt: number;
  status: ServiceStatus;
  source: SourceConfiguration;
  operations: OperationSummary[];
  tags: Tag[];
  router: WeightedRouter;
  /** The instance serving now (one per service). */
  instance?: RunningContainer;
  /** Where application logs go: /aws/apprunner/<name>/<id>/application. */
  logGroup: string;
  /** The update under way, which DescribeService's status and UpdateService's refusal follow. */
  pending?: Promise<void>;
}

/**
 * App Runner's ServiceId (32 hex characters), made from the account, Region and name so the same manifest
 * always yields the same ids: alarms on AWS/AppRunner dimension ServiceID name it.
 */
export function appRunnerServiceId(account: string, region: string, serviceName: string): string {
  return createHash('sha256').update(`${account}/${region}/${serviceName}`).digest('hex').slice(0, 32);
}

export function serviceArn(region: string, account: string, name: string, id: string): string {
  return `arn:aws:apprunner:${region}:${account}:service/${name}/${id}`;
}

/** ServiceUrl is a host name without a scheme; locally, the router's host and port. */
export function serviceUrl(record: ServiceRecord): string {
  return new URL(record.router.url).host;
}

export function summaryOf(record: ServiceRecord): ServiceSummary {
  return {
    ServiceName: record.name,
    ServiceId: record.id,
    ServiceArn: record.arn,
    ServiceUrl: serviceUrl(record),
    CreatedAt: new Date(record.createdAt),
    UpdatedAt: new Date(record.updatedAt),
    Status: record.status,
  };
}

/** The service as DescribeService and UpdateService answer, shaped as the infra creates it. */
export function serviceOf(record: ServiceRecord): Service {
  const { account, region, name } = record;
  const configuration = `arn:aws:apprunner:${region}:${account}:autoscalingconfiguration/${name.slice(0, 32)}/1/${record.id}`;
  return {
    ...summaryOf(record),
    ServiceName: record.name,
    ServiceId: record.id,
    ServiceArn: record.arn,
    CreatedAt: new Date(record.createdAt),
    UpdatedAt: new Date(record.updatedAt),
    Status: record.status,
    SourceConfiguration: structuredClone(record.source),
    InstanceConfiguration: {
      Cpu: '1024',
      Memory: '2048',
      InstanceRoleArn: `arn:aws:iam::${account}:role/${name}-instance`,
    },
    HealthCheckConfiguration: {
      Protocol: 'HTTP',
      Path: '/health',
      Interval: 5,
      Timeout: 2,
      HealthyThreshold: 1,
      UnhealthyThreshold: 3,
    },
    AutoScalingConfigurationSummary: {
      AutoScalingConfigurationArn: configuration,
      AutoScalingConfigurationName: name.slice(0, 32),
      AutoScalingConfigurationRevision: 1,
      Status: 'ACTIVE',
      HasAssociatedService: true,
      IsDefault: false,
    },
    NetworkConfiguration: {
      EgressConfiguration: { EgressType: 'DEFAULT' },
      IngressConfiguration: { IsPubliclyAccessible: true },
      IpAddressType: 'IPV4',
    },
    ObservabilityConfiguration: {
      ObservabilityEnabled: true,
      ObservabilityConfigurationArn: `arn:aws:apprunner:${region}:${account}:observabilityconfiguration/${`${name}-xray`.slice(0, 32)}/1/${record.id}`,
    },
  };
}
