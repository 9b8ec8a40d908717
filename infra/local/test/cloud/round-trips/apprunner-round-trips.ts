import {
  AppRunnerClient,
  DescribeServiceCommand,
  ListOperationsCommand,
  ListServicesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type UpdateServiceRequest,
} from '@aws-sdk/client-apprunner';
import type { AppRunnerTarget } from '@tollgate/pipelines/targets/manifest';
import { expect } from 'vitest';
import { expectCloudDate, type RoundTripWorld, rejection, until } from './round-trip-cloud';

/** product-search's service: tags, an image update followed to SUCCEEDED, and a rejected update. */
export async function appRunnerRoundTrips(world: RoundTripWorld): Promise<void> {
  const target = world.target<AppRunnerTarget>('product-search');
  const appRunner = new AppRunnerClient(world.config);
  const { ServiceSummaryList } = await appRunner.send(new ListServicesCommand({}));
  const summary = ServiceSummaryList?.find((s) => s.ServiceName === target.serviceName);
  expect(summary).toMatchObject({ ServiceName: target.serviceName, Status: 'RUNNING' });
  const ServiceArn = summary?.ServiceArn ?? '';
  expect(ServiceArn).toBe(
    `arn:aws:apprunner:eu-west-1:${target.account}:service/${target.serviceName}/${summary?.ServiceId}`,
  );
  expect(summary?.ServiceId).toMatch(/^[0-9a-f]{32}$/);
  expectCloudDate(world, summary?.CreatedAt);

  const { Service } = await appRunner.send(new DescribeServiceCommand({ ServiceArn }));
  const repository = Service?.SourceConfiguration?.ImageRepository;
  expect(repository?.ImageIdentifier).toBe(`${target.imageRepository}:1.0.0`);
  expect(repository?.ImageConfiguration?.RuntimeEnvironmentVariables?.RELEASE_VERSION).toBe('1.0.0');

  expect((await appRunner.send(new ListTagsForResourceCommand({ ResourceArn: ServiceArn }))).Tags).toEqual(
    [],
  );
  const Tags = [{ Key: 'tollgate:previous-release', Value: '1.0.0' }];
  await appRunner.send(new TagResourceCommand({ ResourceArn: ServiceArn, Tags }));
  expect((await appRunner.send(new ListTagsForResourceCommand({ ResourceArn: ServiceArn }))).Tags).toEqual(
    Tags,
  );

  const image = `${target.imageRepository}:1.1.0`;
  const variables = {
    ...repository?.ImageConfiguration?.RuntimeEnvironmentVariables,
    RELEASE_VERSION: '1.1.0',
  };
  const update = await appRunner.send(
    new UpdateServiceCommand({
      ServiceArn,
      SourceConfiguration: {
        ...Service?.SourceConfiguration,
        ImageRepository: {
          ImageRepositoryType: repository?.ImageRepositoryType,
          ImageIdentifier: image,
          ImageConfiguration: { ...repository?.ImageConfiguration, RuntimeEnvironmentVariables: variables },
        },
      },
    } as UpdateServiceRequest),
  );
  expect(update.Service?.Status).toBe('OPERATION_IN_PROGRESS');
  expect(update.OperationId).toMatch(/^[0-9a-f-]{36}$/);
  const operations = () => appRunner.send(new ListOperationsCommand({ ServiceArn }));
  const started = (await operations()).OperationSummaryList?.[0];
  expect(started).toMatchObject({ Id: update.OperationId, Type: 'UPDATE_SERVICE', TargetArn: ServiceArn });
  const done = await until(world, `operation ${update.OperationId} ending`, operations, (read) =>
    ['SUCCEEDED', 'FAILED', 'ROLLBACK_SUCCEEDED'].includes(read.OperationSummaryList?.[0]?.Status ?? ''),
  );
  const [latest, created] = done.OperationSummaryList ?? [];
  expect(latest?.Status).toBe('SUCCEEDED');
  expectCloudDate(world, latest?.EndedAt, latest?.StartedAt?.getTime());
  expect(created).toMatchObject({ Type: 'CREATE_SERVICE', Status: 'SUCCEEDED' });
  const after = await appRunner.send(new DescribeServiceCommand({ ServiceArn }));
  expect(after.Service?.Status).toBe('RUNNING');
  expect(after.Service?.SourceConfiguration?.ImageRepository?.ImageIdentifier).toBe(image);

  const refused = await rejection(appRunner.send(new UpdateServiceCommand({} as UpdateServiceRequest)));
  expect(refused).toMatchObject({ name: 'InvalidRequestException', status: 400 });
  expect(refused.message).toContain('ServiceArn');
}
