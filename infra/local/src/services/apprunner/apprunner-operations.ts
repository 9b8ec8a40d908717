import type {
  DescribeServiceCommandInput,
  ListOperationsCommandInput,
  ListServicesCommandInput,
  ListTagsForResourceCommandInput,
  SourceConfiguration,
  TagResourceCommandInput,
  UpdateServiceCommandInput,
} from '@aws-sdk/client-apprunner';
import { AwsServiceError, type OperationContext, type OperationHandler } from '../service';
import { type ServiceRecord, serviceOf, summaryOf } from './service-record';
import { beginOperation, type InstanceStarter, runUpdate, type UpdateTiming } from './service-update';

export interface OperationsState {
  services: Map<string, ServiceRecord>;
  starter: () => InstanceStarter;
  timing: UpdateTiming;
  /** Updates under way, so close() can wait for them. */
  updates: Set<Promise<void>>;
}

/** The App Runner operations Tollgate's adapter sends, as App Runner answers them. */
export function appRunnerOperations(state: OperationsState): Record<string, OperationHandler> {
  const find = (arn: string | undefined) => {
    const record = arn ? state.services.get(arn) : undefined;
    if (!record) throw new AwsServiceError('ResourceNotFoundException', `Resource ${arn} not found`, 400);
    return record;
  };
  return {
    ListServices: (input: ListServicesCommandInput, context: OperationContext) => {
      const all = [...state.services.values()].filter((r) => r.region === context.region).map(summaryOf);
      return page(all, input, 'ServiceSummaryList');
    },
    DescribeService: (input: DescribeServiceCommandInput) => ({ Service: serviceOf(find(input.ServiceArn)) }),
    ListOperations: (input: ListOperationsCommandInput) => {
      const newestFirst = [...find(input.ServiceArn).operations].reverse().map((o) => structuredClone(o));
      return page(newestFirst, input, 'OperationSummaryList');
    },
    ListTagsForResource: (input: ListTagsForResourceCommandInput) => ({
      Tags: structuredClone(find(input.ResourceArn).tags),
    }),
    TagResource: (input: TagResourceCommandInput) => {
      const record = find(input.ResourceArn);
      for (const tag of input.Tags ?? []) {
        record.tags = record.tags.filter((existing) => existing.Key !== tag.Key);
        record.tags.push({ Key: tag.Key, Value: tag.Value });
      }
      return {};
    },
    UpdateService: (input: UpdateServiceCommandInput, context: OperationContext) => {
      const record = find(input.ServiceArn);
      if (record.status !== 'RUNNING') {
        throw new AwsServiceError(
          'InvalidStateException',
          `Service cannot be updated in the current state: ${record.status}.`,
          400,
        );
      }
      const now = context.clock.now();
      const previous = record.source;
      if (input.SourceConfiguration) record.source = updatedSource(previous, input.SourceConfiguration);
      record.status = 'OPERATION_IN_PROGRESS';
      record.updatedAt = now;
      const operation = beginOperation(record, 'UPDATE_SERVICE', now);
      const update = runUpdate(record, operation, previous, state.starter(), state.timing).finally(() =>
        state.updates.delete(update),
      );
      state.updates.add(update);
      return { Service: serviceOf(record), OperationId: operation.Id };
    },
  };
}

/** UpdateService's SourceConfiguration replaces the image repository part it carries, as App Runner's does. */
function updatedSource(current: SourceConfiguration, given: SourceConfiguration): SourceConfiguration {
  return { ...structuredClone(current), ...structuredClone(given) };
}

/** MaxResults and NextToken (the index of the next item): every item when MaxResults is absent. */
function page<T, K extends string>(
  items: T[],
  input: { MaxResults?: number | undefined; NextToken?: string | undefined },
  key: K,
) {
  const start = input.NextToken ? Number(Buffer.from(input.NextToken, 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0 || start > items.length) {
    throw new AwsServiceError('InvalidRequestException', 'The NextToken is not valid.', 400);
  }
  const end = input.MaxResults === undefined ? items.length : start + input.MaxResults;
  const result = { [key]: items.slice(start, end) } as Record<K, T[]> & { NextToken?: string };
  if (end < items.length) result.NextToken = Buffer.from(String(end)).toString('base64url');
  return result;
}
