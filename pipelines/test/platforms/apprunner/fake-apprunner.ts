import {
  AppRunnerClient,
  DescribeServiceCommand,
  ListOperationsCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  type OperationStatus,
  type OperationSummary,
  ResourceNotFoundException,
  type Service,
  TagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-apprunner';
import { mockClient } from 'aws-sdk-client-mock';
import { modelled } from '../../aws/validated-mock';

const SDK = '@aws-sdk/client-apprunner';
export const SERVICE_NAME = 'shop-production-search';
export const SERVICE_ARN = `arn:aws:apprunner:eu-west-1:222222222222:service/${SERVICE_NAME}/8fe1e10304f84fd2b0df550fe98a71fa`;

interface PendingUpdate {
  operation: OperationSummary;
  image: string;
  release: string;
  endsAt: number;
  fails: boolean;
}

/**
 * App Runner as the adapter sees it, in memory: one image-based service, updates that take `deployMs`
 * of the test's clock and then succeed (or, when told, are rolled back by App Runner itself), operations
 * newest first, tags. Responses are checked against the API model.
 */
export class FakeAppRunner {
  readonly stub = mockClient(AppRunnerClient);
  readonly client = new AppRunnerClient({ region: 'eu-west-1', maxAttempts: 1 });
  private image = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/search@sha256:aaa';
  private release = '1';
  private readonly operations: OperationSummary[] = [];
  private readonly tags = new Map<string, string>([['team', 'search']]);
  private pending: PendingUpdate | undefined;
  private operationCount = 0;
  /** The next update fails its health checks and App Runner rolls it back. */
  failNextUpdate = false;
  private readonly refusals = new Map<string, Error>();
  /** Which release served at each moment, for synthetic traffic: [time, release], oldest first. */
  private readonly served: [number, string][];

  constructor(
    private readonly now: () => number,
    private readonly deployMs = 4 * 60_000,
    private readonly exists = true,
  ) {
    this.served = [[now(), this.release]];
    this.stub.on(ListServicesCommand).callsFake(() => modelled(SDK, 'ListServices', this.listServices()));
    this.stub
      .on(DescribeServiceCommand)
      .callsFake((input) => modelled(SDK, 'DescribeService', { Service: this.service(input.ServiceArn) }));
    this.stub.on(ListOperationsCommand).callsFake((input) => {
      this.service(input.ServiceArn);
      return modelled(SDK, 'ListOperations', {
        OperationSummaryList: [...this.operations].reverse().slice(0, input.MaxResults ?? 20),
      });
    });
    this.stub.on(ListTagsForResourceCommand).callsFake(() =>
      modelled(SDK, 'ListTagsForResource', {
        Tags: [...this.tags].map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    this.stub.on(TagResourceCommand).callsFake((input) => {
      for (const tag of input.Tags ?? []) this.tags.set(tag.Key ?? '', tag.Value ?? '');
      return modelled(SDK, 'TagResource', {});
    });
    this.stub.on(UpdateServiceCommand).callsFake((input) => {
      this.refuseIfAsked('UpdateService');
      return this.update(input);
    });
  }

  /** The next call of `operation` fails the way a throttled App Runner answers, and changes nothing. */
  refuseNext(operation: 'DescribeService' | 'UpdateService'): void {
    this.refusals.set(operation, Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
  }

  private refuseIfAsked(operation: string): void {
    const refusal = this.refusals.get(operation);
    if (!refusal) return;
    this.refusals.delete(operation);
    throw refusal;
  }

  /** The share (0 or 1) of traffic `release` had at `at`: App Runner switches all of it at once. */
  shareAt(release: string, at: number): number {
    this.advance();
    const serving = this.served.findLast(([since]) => since <= at) ?? this.served[0];
    return serving?.[1] === release ? 1 : 0;
  }

  /** What the service runs now, for assertions. */
  running(): { image: string; release: string } {
    this.advance();
    return { image: this.image, release: this.release };
  }

  private listServices() {
    if (!this.exists) return { ServiceSummaryList: [] };
    return {
      ServiceSummaryList: [
        { ServiceName: SERVICE_NAME, ServiceArn: SERVICE_ARN, Status: 'RUNNING' as const },
      ],
    };
  }

  private service(arn: string | undefined): Service {
    if (arn !== SERVICE_ARN)
      throw new ResourceNotFoundException({ message: `service ${arn} not found`, $metadata: {} });
    this.advance();
    const now = new Date(this.now());
    return {
      ServiceName: SERVICE_NAME,
      ServiceId: '8fe1e10304f84fd2b0df550fe98a71fa',
      ServiceArn: SERVICE_ARN,
      CreatedAt: new Date(0),
      UpdatedAt: now,
      Status: this.pending ? 'OPERATION_IN_PROGRESS' : 'RUNNING',
      SourceConfiguration: {
        AutoDeploymentsEnabled: false,
        AuthenticationConfiguration: { AccessRoleArn: 'arn:aws:iam::222222222222:role/search-access' },
        ImageRepository: {
          ImageIdentifier: this.pending?.image ?? this.image,
          ImageRepositoryType: 'ECR',
          ImageConfiguration: {
            Port: '8080',
            RuntimeEnvironmentVariables: {
              PORT: '8080',
              RELEASE_VERSION: this.pending?.release ?? this.release,
            },
          },
        },
      },
      InstanceConfiguration: { Cpu: '1024', Memory: '2048' },
      AutoScalingConfigurationSummary: {},
      NetworkConfiguration: {},
    };
  }

  private update(input: { ServiceArn?: string; SourceConfiguration?: Service['SourceConfiguration'] }) {
    this.service(input.ServiceArn);
    if (this.pending)
      throw Object.assign(new Error('an operation is in progress'), { name: 'InvalidStateException' });
    const repository = input.SourceConfiguration?.ImageRepository;
    const operation: OperationSummary = {
      Id: `op-${++this.operationCount}`,
      Type: 'UPDATE_SERVICE',
      Status: 'IN_PROGRESS',
      TargetArn: SERVICE_ARN,
      StartedAt: new Date(this.now()),
    };
    this.operations.push(operation);
    this.pending = {
      operation,
      image: repository?.ImageIdentifier ?? '',
      release: repository?.ImageConfiguration?.RuntimeEnvironmentVariables?.RELEASE_VERSION ?? 'unknown',
      endsAt: this.now() + this.deployMs,
      fails: this.failNextUpdate,
    };
    this.failNextUpdate = false;
    return modelled(SDK, 'UpdateService', { Service: this.service(SERVICE_ARN), OperationId: operation.Id });
  }

  private advance(): void {
    const pending = this.pending;
    if (!pending || this.now() < pending.endsAt) return;
    const status: OperationStatus = pending.fails ? 'ROLLBACK_SUCCEEDED' : 'SUCCEEDED';
    pending.operation.Status = status;
    pending.operation.EndedAt = new Date(pending.endsAt);
    if (!pending.fails) {
      this.image = pending.image;
      this.release = pending.release;
      this.served.push([pending.endsAt, pending.release]);
    }
    this.pending = undefined;
  }
}
