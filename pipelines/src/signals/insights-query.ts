import {
  type CloudWatchLogsClient,
  GetQueryResultsCommand,
  type GetQueryResultsResponse,
  type ResultField,
  StartQueryCommand,
  StopQueryCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { aws } from '../aws/aws-error';
import type { Clock } from '../time/clock';

/** StartQuery's `limit` may be up to 100,000; GetQueryResults returns at most 10,000 a page (API reference). */
export const MAX_QUERY_LIMIT = 100_000;
export const MAX_PAGE_ITEMS = 10_000;

export interface InsightsQuery {
  logGroupName: string;
  /** Seconds since the epoch, inclusive (StartQuery's unit). */
  startTime: number;
  /** Seconds since the epoch, inclusive. */
  endTime: number;
  queryString: string;
  limit: number;
}

export interface InsightsRun {
  client: CloudWatchLogsClient;
  clock: Clock;
  /** How long to wait for a query to complete before stopping it. */
  maxWaitMs: number;
  /** What the query is for, for error messages: "spans of auth 1.4.0". */
  what: string;
}

/** What a completed query said about itself. */
export interface InsightsOutcome {
  rows: number;
  /** Events that matched; more than `rows` when the limit cut the results. */
  recordsMatched: number;
}

/** Waits between polls of a running query: it is a job finishing, not a retry of a failed call. */
const POLL_DELAYS_MS = [250, 500, 1_000, 2_000];
const MAX_POLL_DELAY_MS = 5_000;

/**
 * Runs one Logs Insights query to the end: StartQuery, GetQueryResults until Complete, then every page
 * of results, each row handed to `onRow` and let go (so only one page is held at a time). Failed,
 * Cancelled, Timeout or Unknown is an error; so is a query still running after `maxWaitMs`, which is
 * stopped first. A query left running by any other failure is stopped too, to end its scanning.
 */
export async function runInsightsQuery(
  run: InsightsRun,
  query: InsightsQuery,
  onRow: (row: ResultField[]) => void,
): Promise<InsightsOutcome> {
  const { client, what } = run;
  const started = await aws(`start a Logs Insights query on ${query.logGroupName} for ${what}`, () =>
    client.send(new StartQueryCommand({ queryLanguage: 'CWLI', ...query })),
  );
  const queryId = started.queryId;
  if (!queryId)
    throw new Error(`Logs Insights started no query for ${what} (StartQuery returned no queryId)`);
  const state = { running: true };
  try {
    const first = await untilComplete(run, queryId, state);
    let rows = 0;
    for await (const page of pages(run, queryId, first)) {
      for (const row of page) onRow(row);
      rows += page.length;
    }
    return { rows, recordsMatched: first.statistics?.recordsMatched ?? rows };
  } finally {
    if (state.running) await stopQuietly(run, queryId);
  }
}

async function untilComplete(
  run: InsightsRun,
  queryId: string,
  state: { running: boolean },
): Promise<GetQueryResultsResponse> {
  const startedAt = run.clock.now();
  for (let poll = 0; ; poll += 1) {
    const page = await results(run, queryId);
    const status = page.status;
    state.running = status === 'Scheduled' || status === 'Running';
    if (status === 'Complete') return page;
    if (!state.running) {
      throw new Error(`the Logs Insights query for ${run.what} ended ${status ?? 'without a status'}`);
    }
    if (run.clock.now() - startedAt >= run.maxWaitMs) {
      throw new Error(
        `the Logs Insights query for ${run.what} was still ${status} after ${Math.round(run.maxWaitMs / 1000)} s, so it is being stopped`,
      );
    }
    await run.clock.sleep(POLL_DELAYS_MS[poll] ?? MAX_POLL_DELAY_MS);
  }
}

/** The rows of the completed query, page by page, starting with the page that said Complete. */
async function* pages(run: InsightsRun, queryId: string, first: GetQueryResultsResponse) {
  let page = first;
  yield page.results ?? [];
  while (page.nextToken) {
    page = await results(run, queryId, page.nextToken);
    yield page.results ?? [];
  }
}

function results(run: InsightsRun, queryId: string, nextToken?: string): Promise<GetQueryResultsResponse> {
  const input = { queryId, maxItems: MAX_PAGE_ITEMS, ...(nextToken ? { nextToken } : {}) };
  return aws(`read the results of the Logs Insights query for ${run.what}`, () =>
    run.client.send(new GetQueryResultsCommand(input)),
  );
}

/**
 * Best effort: the error that brought us here is the one worth reporting. A query that cannot be stopped
 * ends by itself (queries time out after 60 minutes); nothing else depends on stopping it.
 */
async function stopQuietly(run: InsightsRun, queryId: string): Promise<void> {
  await aws(`stop the Logs Insights query for ${run.what}`, () =>
    run.client.send(new StopQueryCommand({ queryId })),
  ).catch(() => undefined);
}
