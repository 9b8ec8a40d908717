import type {
  GetQueryResultsCommandInput,
  QueryStatus,
  ResultField,
  StartQueryCommandInput,
  StopQueryCommandInput,
} from '@aws-sdk/client-cloudwatch-logs';
import { SPAN_LOG_GROUP } from '@tollgate/pipelines/signals/span-query';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { SpanStore } from '../../telemetry/span-store';
import { AwsServiceError, type ServiceDefinition } from '../service';
import { flattenFields, runQuery } from './insights-evaluator';
import { type Command, parseQuery, QuerySyntaxError } from './insights-parser';

export interface LogsServiceOptions {
  clock: ScaledClock;
  spans: SpanStore;
  /** Cloud ms a query stays Scheduled, then Running, before it completes. */
  scheduledMs?: number;
  runningMs?: number;
}

export interface LogsService {
  definition: ServiceDefinition;
  /** Creates a log group (provisioning: `aws/spans` exists once Transaction Search is on). */
  createLogGroup(name: string): void;
  close(): Promise<void>;
}

interface Query {
  commands: Command[];
  logGroup: string;
  from: number;
  to: number;
  limit: number;
  startedAt: number;
  cancelled: boolean;
  result?: { rows: ResultField[][]; recordsMatched: number; recordsScanned: number; bytesScanned: number };
}

const MAX_LIMIT = 100_000;
const MAX_PAGE = 10_000;

/** CloudWatch Logs Insights' StartQuery / GetQueryResults / StopQuery over `aws/spans` (awsJson1_1, `logs`). */
export function createLogsService(options: LogsServiceOptions): LogsService {
  const { clock, spans } = options;
  const scheduledMs = options.scheduledMs ?? 500;
  const runningMs = options.runningMs ?? 1_500;
  const groups = new Set<string>();
  const queries = new Map<string, Query>();
  const statusOf = (query: Query): QueryStatus => {
    if (query.cancelled) return 'Cancelled';
    const age = clock.now() - query.startedAt;
    return age < scheduledMs ? 'Scheduled' : age < scheduledMs + runningMs ? 'Running' : 'Complete';
  };
  const startQuery = (input: StartQueryCommandInput) => {
    const logGroup = oneLogGroup(input);
    if (!groups.has(logGroup)) {
      throw new AwsServiceError(
        'ResourceNotFoundException',
        `The specified log group does not exist: ${logGroup}`,
      );
    }
    if ((input.queryLanguage ?? 'CWLI') !== 'CWLI') {
      throw new AwsServiceError(
        'MalformedQueryException',
        `the local Logs runs only Logs Insights QL (CWLI) queries, not ${input.queryLanguage}`,
      );
    }
    const limit = input.limit ?? 10_000;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
      throw new AwsServiceError(
        'InvalidParameterException',
        `limit must be between 1 and ${MAX_LIMIT}, not ${limit}`,
      );
    }
    const { startTime = 0, endTime = 0 } = input;
    if (endTime < startTime)
      throw new AwsServiceError('InvalidParameterException', 'endTime must not be before startTime');
    const queryId = `${clock.now().toString(16)}-${(queries.size + 1).toString(16).padStart(8, '0')}`;
    queries.set(queryId, {
      commands: commandsOf(input.queryString ?? ''),
      logGroup,
      from: startTime * 1000,
      to: (endTime + 1) * 1000,
      limit,
      startedAt: clock.now(),
      cancelled: false,
    });
    return { queryId };
  };
  const getQueryResults = (input: GetQueryResultsCommandInput) => {
    const query = queries.get(input.queryId ?? '');
    if (!query)
      throw new AwsServiceError('ResourceNotFoundException', `There is no query with id ${input.queryId}`);
    const status = statusOf(query);
    if (status !== 'Complete')
      return { queryLanguage: 'CWLI', status, results: [], statistics: emptyStatistics() };
    query.result ??= scan(query, spans, query.startedAt + scheduledMs + runningMs);
    const offset = input.nextToken ? pageOffset(input.nextToken, input.queryId ?? '') : 0;
    const size = Math.min(input.maxItems ?? 1000, MAX_PAGE);
    const { rows, ...statistics } = query.result;
    return {
      queryLanguage: 'CWLI',
      status,
      results: rows.slice(offset, offset + size),
      statistics,
      ...(offset + size < rows.length ? { nextToken: pageToken(offset + size, input.queryId ?? '') } : {}),
    };
  };
  const stopQuery = (input: StopQueryCommandInput) => {
    const query = queries.get(input.queryId ?? '');
    if (!query)
      throw new AwsServiceError('ResourceNotFoundException', `There is no query with id ${input.queryId}`);
    const status = statusOf(query);
    // "If the query has already ended, the operation returns an error indicating that the specified
    // query is not running" (StopQuery, API reference).
    if (status !== 'Scheduled' && status !== 'Running') {
      throw new AwsServiceError(
        'InvalidParameterException',
        `Query ${input.queryId} is not running (${status})`,
      );
    }
    query.cancelled = true;
    return { success: true };
  };
  return {
    definition: {
      signingName: 'logs',
      sdkPackage: '@aws-sdk/client-cloudwatch-logs',
      protocol: 'awsJson1_1',
      targetPrefix: 'Logs_20140328',
      operations: { StartQuery: startQuery, GetQueryResults: getQueryResults, StopQuery: stopQuery },
    },
    createLogGroup: (name) => void groups.add(name),
    close: async () => {},
  };
}

function oneLogGroup(input: StartQueryCommandInput): string {
  const names = [
    ...(input.logGroupName ? [input.logGroupName] : []),
    ...(input.logGroupNames ?? []),
    ...(input.logGroupIdentifiers ?? []),
  ];
  if (names.length !== 1) {
    throw new AwsServiceError(
      'InvalidParameterException',
      'the local Logs queries exactly one log group: name it in logGroupName',
    );
  }
  return names[0] as string;
}

function commandsOf(queryString: string): Command[] {
  try {
    return parseQuery(queryString);
  } catch (error) {
    if (!(error instanceof QuerySyntaxError)) throw error;
    throw new AwsServiceError(
      'MalformedQueryException',
      `${error.message}. The local Logs Insights runs filter, fields, sort and limit with comparisons, and/or/not and ispresent()`,
    );
  }
}

/** The scan happens once, over the events written by the time the query completes. */
function scan(query: Query, spans: SpanStore, completedAt: number) {
  if (query.logGroup !== SPAN_LOG_GROUP)
    return { rows: [], recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };
  const inRange = spans
    .written(completedAt)
    .filter((event) => event.timestamp >= query.from && event.timestamp < query.to);
  const fields = inRange.map((event) => flattenFields(event.record, event.timestamp));
  const { rows, recordsMatched } = runQuery(query.commands, fields, query.limit);
  const bytesScanned = inRange.reduce((sum, event) => sum + JSON.stringify(event.record, bigints).length, 0);
  return { rows, recordsMatched, recordsScanned: inRange.length, bytesScanned };
}

function bigints(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function emptyStatistics() {
  return { recordsMatched: 0, recordsScanned: 0, bytesScanned: 0 };
}

function pageToken(offset: number, queryId: string): string {
  return Buffer.from(`${queryId}:${offset}`).toString('base64');
}

function pageOffset(token: string, queryId: string): number {
  const [id, offset] = Buffer.from(token, 'base64').toString('utf8').split(':');
  if (id !== queryId || !/^\d+$/.test(offset ?? '')) {
    throw new AwsServiceError('InvalidParameterException', 'The nextToken is not one this query returned');
  }
  return Number(offset);
}
