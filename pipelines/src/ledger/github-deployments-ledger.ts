import { getOctokit } from '@actions/github';
import { InputError } from '../errors/input-error';
import type { ReleaseRecord } from '../record/record';
import { begunRecordOf, payloadOf } from './github-payload';
import { latestRecord, type StatusSeen } from './github-record';
import { requestFailure } from './github-request-failure';
import { clip, describeStatus, MAX_DESCRIPTION, STATE_OF } from './github-status-text';
import { type Ledger, LedgerError, type LedgerQuery, selectRecords } from './ledger';
import { applyOperation, type LedgerOperation } from './lifecycle';

export interface GitHubDeploymentsLedgerOptions {
  /** A token that may write deployments: in a workflow, GITHUB_TOKEN with `permissions: deployments: write`. */
  token: string;
  /** The REST API root (default `https://api.github.com`); in a runner, GITHUB_API_URL (GitHub Enterprise). */
  baseUrl?: string;
  owner: string;
  repo: string;
  /** The commit being released (GITHUB_SHA): what each deployment is made of. */
  ref: string;
  /** The workflow run's URL, given to every status as its `log_url`. */
  logUrl?: string;
  /** Environments GitHub should treat as production (`production_environment`); default `["production"]`. */
  productionEnvironments?: readonly string[];
  /**
   * How many deployments one read goes through (default 100), in GitHub's order: newest first in practice,
   * though GitHub does not document it, so records are still sorted by their start.
   */
  maxDeployments?: number;
  /** Deployments or statuses asked for per request (1–100, default 100). */
  pageSize?: number;
  /** How long one request to GitHub may take (default 30 s); every operation makes a bounded number of them. */
  requestTimeoutMs?: number;
}

/** A Tollgate deployment as read back: its id and the record as begun (from the payload). */
interface Begun {
  deploymentId: number;
  record: ReleaseRecord;
}

type Octokit = ReturnType<typeof getOctokit>;

const DEFAULT_BASE_URL = 'https://api.github.com';
const MAX_STATUS_PAGES = 10;
const READ_CONCURRENCY = 4;

/**
 * The release ledger on GitHub Deployments: one deployment per release, made of `ref`, in the record's
 * environment, with task `deploy:<workload>` (so one GitHub environment holds many workloads) and the release
 * in its payload; then one status per lifecycle step, whose state and description carry how the release
 * stands (see `github-status-text.ts`). The release is gated by Tollgate, not by commit statuses, so
 * deployments are created with `auto_merge: false` and `required_contexts: []`; statuses are posted with
 * `auto_inactive: false`, because GitHub would otherwise mark other workloads' deployments of the same
 * environment inactive. What GitHub cannot hold — steps, events, approvals, verdict, revisions — is in the
 * reports, not here: records read back have them empty.
 */
export class GitHubDeploymentsLedger implements Ledger {
  private readonly octokit: Octokit;
  private readonly repository: string;
  private readonly known = new Map<string, Begun>();

  constructor(private readonly options: GitHubDeploymentsLedgerOptions) {
    checkOptions(options);
    this.octokit = getOctokit(options.token, { baseUrl: options.baseUrl ?? DEFAULT_BASE_URL });
    // A hook, because Octokit's paginator drops a per-call `request.signal`.
    const timeoutMs = options.requestTimeoutMs ?? 30_000;
    this.octokit.hook.before('request', (request) => {
      request.request = { ...request.request, signal: AbortSignal.timeout(timeoutMs) };
    });
    this.repository = `${options.owner}/${options.repo}`;
  }

  async begin(record: ReleaseRecord): Promise<void> {
    const existing = await this.find(record);
    applyOperation(new Map(existing ? [[record.id, existing.current]] : []), 'begin', record);
    const deploymentId = await this.createDeployment(record);
    // What a later read rebuilds from the payload, so this process and the next one see the same record.
    this.known.set(record.id, {
      deploymentId,
      record: begunRecordOf(payloadOf(record)) ?? structuredClone(record),
    });
    await this.postStatus(deploymentId, record);
  }

  update(record: ReleaseRecord): Promise<void> {
    return this.transition('update', record);
  }

  finish(record: ReleaseRecord): Promise<void> {
    return this.transition('finish', record);
  }

  async list(query: LedgerQuery = {}): Promise<ReleaseRecord[]> {
    const begun = await this.readDeployments(query);
    const byId = new Map(begun.map((entry) => [entry.record.id, entry]));
    const chosen = selectRecords(
      begun.map((entry) => entry.record),
      query,
    ).flatMap((record) => byId.get(record.id) ?? []);
    const records: ReleaseRecord[] = [];
    for (let start = 0; start < chosen.length; start += READ_CONCURRENCY) {
      const batch = chosen.slice(start, start + READ_CONCURRENCY);
      records.push(...(await Promise.all(batch.map((entry) => this.current(entry)))));
    }
    return records;
  }

  private async transition(operation: LedgerOperation, record: ReleaseRecord): Promise<void> {
    const found = await this.find(record);
    applyOperation(new Map(found ? [[record.id, found.current]] : []), operation, record);
    if (!found) throw new LedgerError(`release ${record.id} was never begun`);
    await this.postStatus(found.deploymentId, record);
  }

  /** The deployment of `record` and the latest state of its release, or undefined if it was never begun. */
  private async find(
    record: ReleaseRecord,
  ): Promise<{ deploymentId: number; current: ReleaseRecord } | undefined> {
    let entry = this.known.get(record.id);
    if (!entry) {
      const query = { workload: record.workload, environment: record.environment };
      entry = (await this.readDeployments(query)).find((begun) => begun.record.id === record.id);
    }
    if (!entry) return undefined;
    return { deploymentId: entry.deploymentId, current: await this.current(entry) };
  }

  /** Tollgate's deployments matching the query, as begun; others' deployments are passed over. */
  private async readDeployments(query: LedgerQuery): Promise<Begun[]> {
    const { owner, repo } = this.options;
    const max = this.options.maxDeployments ?? 100;
    const found: Begun[] = [];
    let read = 0;
    try {
      const pages = this.octokit.paginate.iterator(this.octokit.rest.repos.listDeployments, {
        owner,
        repo,
        per_page: Math.min(this.pageSize(), max),
        ...(query.environment !== undefined ? { environment: query.environment } : {}),
        ...(query.workload !== undefined ? { task: taskOf(query.workload) } : {}),
      });
      for await (const page of pages) {
        for (const deployment of page.data.slice(0, max - read)) {
          const record = begunRecordOf(deployment.payload);
          if (record && !this.known.has(record.id)) {
            this.known.set(record.id, { deploymentId: Number(deployment.id), record });
          }
          const entry = record && this.known.get(record.id);
          if (entry && !found.some((other) => other.record.id === record.id)) found.push(entry);
        }
        read += page.data.length;
        if (read >= max) break;
      }
    } catch (error) {
      throw requestFailure('list the deployments', this.repository, error);
    }
    return found;
  }

  /** The latest state of one release, from its deployment's statuses. */
  private async current(entry: Begun): Promise<ReleaseRecord> {
    const { owner, repo } = this.options;
    const statuses: StatusSeen[] = [];
    try {
      const pages = this.octokit.paginate.iterator(this.octokit.rest.repos.listDeploymentStatuses, {
        owner,
        repo,
        deployment_id: entry.deploymentId,
        per_page: this.pageSize(),
      });
      let count = 0;
      for await (const page of pages) {
        statuses.push(...page.data);
        if (++count >= MAX_STATUS_PAGES) break;
      }
    } catch (error) {
      const what = `read the statuses of deployment ${entry.deploymentId} (${entry.record.id})`;
      throw requestFailure(what, this.repository, error);
    }
    return latestRecord(entry.record, statuses);
  }

  private async createDeployment(record: ReleaseRecord): Promise<number> {
    const { owner, repo, ref } = this.options;
    const production = this.options.productionEnvironments ?? ['production'];
    const description = `Tollgate: ${record.workload} ${record.toVersion} to ${record.environment} by ${record.actor} (${record.backend})`;
    let response: Awaited<ReturnType<Octokit['rest']['repos']['createDeployment']>>;
    try {
      response = await this.octokit.rest.repos.createDeployment({
        owner,
        repo,
        ref,
        task: taskOf(record.workload),
        auto_merge: false,
        required_contexts: [],
        payload: { ...payloadOf(record) },
        environment: record.environment,
        description: clip(description, MAX_DESCRIPTION),
        transient_environment: false,
        production_environment: production.includes(record.environment),
      });
    } catch (error) {
      throw requestFailure(`create the deployment of ${record.id}`, this.repository, error);
    }
    if (!('id' in response.data)) {
      const said = response.data.message ? `: ${response.data.message}` : '';
      throw new LedgerError(
        `could not create the deployment of ${record.id} in the GitHub Deployments of ${this.repository}: GitHub answered HTTP ${response.status} without a deployment${said}`,
      );
    }
    return Number(response.data.id);
  }

  private async postStatus(deploymentId: number, record: ReleaseRecord): Promise<void> {
    const { owner, repo, logUrl } = this.options;
    const description = describeStatus({
      outcome: record.outcome,
      fromVersion: record.fromVersion,
      elapsedMs: record.updatedAt - record.startedAt,
      reason: record.reason,
    });
    try {
      await this.octokit.rest.repos.createDeploymentStatus({
        owner,
        repo,
        deployment_id: deploymentId,
        state: STATE_OF[record.outcome],
        description,
        auto_inactive: false,
        ...(logUrl ? { log_url: logUrl } : {}),
      });
    } catch (error) {
      const what = `record ${record.id} as ${record.outcome} (deployment ${deploymentId})`;
      throw requestFailure(what, this.repository, error);
    }
  }

  private pageSize(): number {
    return this.options.pageSize ?? 100;
  }
}

/** The deployment task of a workload's releases. */
function taskOf(workload: string): string {
  return `deploy:${workload}`;
}

function checkOptions(options: GitHubDeploymentsLedgerOptions): void {
  const required = ['token', 'owner', 'repo', 'ref'] as const;
  for (const name of required) {
    if (!options[name]?.trim()) {
      throw new InputError(`the GitHub Deployments ledger needs option "${name}"; it is empty`);
    }
  }
  const { pageSize, maxDeployments, requestTimeoutMs, baseUrl } = options;
  if (pageSize !== undefined && !(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 100)) {
    throw new InputError(`option "pageSize" is ${pageSize}; GitHub serves 1 to 100 items per page`);
  }
  if (maxDeployments !== undefined && !(Number.isInteger(maxDeployments) && maxDeployments >= 1)) {
    throw new InputError(
      `option "maxDeployments" is ${maxDeployments}; it must be a whole number of at least 1`,
    );
  }
  if (requestTimeoutMs !== undefined && !(requestTimeoutMs > 0)) {
    throw new InputError(`option "requestTimeoutMs" is ${requestTimeoutMs}; it must be more than 0`);
  }
  if (baseUrl !== undefined && !URL.canParse(baseUrl)) {
    throw new InputError(`option "baseUrl" is "${baseUrl}", not a URL (like https://api.github.com)`);
  }
}
