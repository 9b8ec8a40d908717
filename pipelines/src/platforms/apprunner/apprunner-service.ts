import {
  type AppRunnerClient,
  DescribeServiceCommand,
  ListOperationsCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  type OperationSummary,
  type Service,
  type SourceConfiguration,
  TagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-apprunner';
import { aws } from '../../aws/aws-error';
import { UnknownWorkloadError } from '../port';

/** Tags on the service that say what it served before the release in flight, for reconcile and rollback. */
export const PREVIOUS_IMAGE_TAG = 'tollgate:previous-image';
export const PREVIOUS_RELEASE_TAG = 'tollgate:previous-release';
/** The environment variable the service's spans and logs take their release from. */
export const RELEASE_VARIABLE = 'RELEASE_VERSION';

/** What an App Runner service runs now, and its latest operation. */
export interface ServiceState {
  arn: string;
  image: string;
  release: string;
  source: SourceConfiguration;
  latest?: OperationSummary;
  tags: Record<string, string>;
}

/** The App Runner calls for one service, found by name (the release manifest knows names, not ARNs). */
export class AppRunnerService {
  private arn?: string;

  constructor(
    private readonly client: AppRunnerClient,
    readonly name: string,
    private readonly workload: string,
  ) {}

  async read(): Promise<ServiceState> {
    const arn = await this.serviceArn();
    const [{ Service: service }, operations, tags] = await Promise.all([
      aws(`describe App Runner service ${this.name}`, () =>
        this.client.send(new DescribeServiceCommand({ ServiceArn: arn })),
      ),
      aws(`list the operations of App Runner service ${this.name}`, () =>
        this.client.send(new ListOperationsCommand({ ServiceArn: arn, MaxResults: 1 })),
      ),
      aws(`read the tags of App Runner service ${this.name}`, () =>
        this.client.send(new ListTagsForResourceCommand({ ResourceArn: arn })),
      ),
    ]);
    const source = imageSource(service, this.name);
    const image = source.ImageRepository?.ImageIdentifier ?? '';
    const release =
      source.ImageRepository?.ImageConfiguration?.RuntimeEnvironmentVariables?.[RELEASE_VARIABLE] ??
      'unknown';
    // ListOperations lists the newest operation first.
    const [latest] = operations.OperationSummaryList ?? [];
    const tagMap = Object.fromEntries((tags.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
    return { arn, image, release, source, tags: tagMap, ...(latest ? { latest } : {}) };
  }

  /** Records what the service runs now, so a later run knows what to return to. */
  rememberPrevious(state: ServiceState): Promise<void> {
    return this.tag(state.arn, { [PREVIOUS_IMAGE_TAG]: state.image, [PREVIOUS_RELEASE_TAG]: state.release });
  }

  async tag(arn: string, tags: Record<string, string>): Promise<void> {
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    await aws(`tag App Runner service ${this.name}`, () =>
      this.client.send(new TagResourceCommand({ ResourceArn: arn, Tags })),
    );
  }

  /** Deploys `image` as `release`, keeping every other part of the source configuration; returns the operation id. */
  async deploy(state: ServiceState, image: string, release: string): Promise<string> {
    const repository = state.source.ImageRepository;
    if (!repository)
      throw new Error(`App Runner service ${this.name} is not deployed from an image repository`);
    const configuration = repository.ImageConfiguration ?? {};
    const SourceConfiguration: SourceConfiguration = {
      ...state.source,
      ImageRepository: {
        ...repository,
        ImageIdentifier: image,
        ImageConfiguration: {
          ...configuration,
          RuntimeEnvironmentVariables: {
            ...configuration.RuntimeEnvironmentVariables,
            [RELEASE_VARIABLE]: release,
          },
        },
      },
    };
    const { OperationId } = await aws(`deploy ${release} (${image}) to App Runner service ${this.name}`, () =>
      this.client.send(new UpdateServiceCommand({ ServiceArn: state.arn, SourceConfiguration })),
    );
    if (!OperationId) throw new Error(`App Runner started an update of ${this.name} without an operation id`);
    return OperationId;
  }

  private async serviceArn(): Promise<string> {
    if (this.arn) return this.arn;
    let NextToken: string | undefined;
    do {
      const page = await aws('list App Runner services', () =>
        this.client.send(new ListServicesCommand({ MaxResults: 20, ...(NextToken ? { NextToken } : {}) })),
      );
      const found = page.ServiceSummaryList?.find((summary) => summary.ServiceName === this.name);
      if (found?.ServiceArn) {
        this.arn = found.ServiceArn;
        return found.ServiceArn;
      }
      NextToken = page.NextToken;
    } while (NextToken);
    throw new UnknownWorkloadError(this.workload, `App Runner (no service named ${this.name})`);
  }
}

function imageSource(service: Service | undefined, name: string): SourceConfiguration {
  const source = service?.SourceConfiguration;
  if (!source?.ImageRepository)
    throw new Error(`App Runner service ${name} is not deployed from an image repository`);
  return source;
}
