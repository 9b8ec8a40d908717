import { randomUUID } from 'node:crypto';
import { functionNotFound, invalidParameter, revisionMismatch, updateInProgress } from './lambda-errors';

/** What a published version freezes: the code and every setting of $LATEST when it was published. */
export interface FunctionSettings {
  description: string;
  handler: string;
  runtime: string;
  memorySize: number;
  /** Seconds. */
  timeout: number;
  role: string;
  architectures: string[];
  environment: Record<string, string>;
  code: Uint8Array;
  /** Base64 SHA-256 of the zip, as Lambda reports CodeSha256. */
  codeSha256: string;
}

export interface FunctionIdentity {
  name: string;
  account: string;
  region: string;
  /** The SecureCart workload whose code the function runs (for its version faults); none for others. */
  workload?: string;
}

export interface PublishedVersion {
  version: string;
  settings: FunctionSettings;
  /** Cloud time (ms). */
  lastModified: number;
  revisionId: string;
}

/** $LATEST: its settings, and until when (cloud time) its last update is in progress. */
export interface LatestState {
  settings: FunctionSettings;
  revisionId: string;
  lastModified: number;
  updateEndsAt: number;
}

export interface AliasState {
  name: string;
  functionVersion: string;
  description: string;
  /** AdditionalVersionWeights: version → fraction of traffic (0–1). */
  weights: Record<string, number>;
  revisionId: string;
}

export type UpdateStatus = 'InProgress' | 'Successful';

/**
 * One function as the Lambda API shows it: $LATEST, whose every update stays InProgress for
 * `updateMs` of cloud time and refuses another update or a publish meanwhile; the versions published
 * from it, numbered 1, 2, … and never changed; and its aliases. Every change gets a new RevisionId, which
 * a write may name to be refused if someone changed the resource since it was read.
 */
export class FunctionState {
  private latestState: LatestState;
  private readonly published: PublishedVersion[] = [];
  private readonly aliasStates = new Map<string, AliasState>();
  private versionsEverPublished = 0;

  constructor(
    readonly identity: FunctionIdentity,
    settings: FunctionSettings,
    now: number,
    private readonly updateMs: number,
  ) {
    this.latestState = { settings, revisionId: randomUUID(), lastModified: now, updateEndsAt: now };
  }

  arn(qualifier?: string): string {
    const { region, account, name } = this.identity;
    return `arn:aws:lambda:${region}:${account}:function:${name}${qualifier ? `:${qualifier}` : ''}`;
  }

  get latest(): LatestState {
    return this.latestState;
  }

  status(now: number): UpdateStatus {
    return now < this.latestState.updateEndsAt ? 'InProgress' : 'Successful';
  }

  version(ref: string): PublishedVersion | undefined {
    return this.published.find((version) => version.version === ref);
  }

  /** The version `ref` names; ResourceNotFoundException with the qualified ARN when there is none. */
  requireVersion(ref: string): PublishedVersion {
    const version = this.version(ref);
    if (!version) throw functionNotFound(this.arn(ref));
    return version;
  }

  get versions(): readonly PublishedVersion[] {
    return this.published;
  }

  alias(name: string): AliasState | undefined {
    return this.aliasStates.get(name);
  }

  get aliases(): readonly AliasState[] {
    return [...this.aliasStates.values()];
  }

  /** Starts an update of $LATEST (UpdateFunctionConfiguration, UpdateFunctionCode). */
  update(change: Partial<FunctionSettings>, revisionId: string | undefined, now: number): LatestState {
    this.requireSettled(now);
    this.requireRevision(revisionId);
    this.latestState = {
      settings: { ...this.latestState.settings, ...change },
      revisionId: randomUUID(),
      lastModified: now,
      updateEndsAt: now + this.updateMs,
    };
    return this.latestState;
  }

  /**
   * Publishes $LATEST as the next version, unless neither code nor settings changed since the newest
   * version: then Lambda returns that one. A CodeSha256 or RevisionId that is not $LATEST's is refused.
   */
  publish(
    request: { codeSha256?: string; revisionId?: string; description?: string },
    now: number,
  ): PublishedVersion {
    this.requireSettled(now);
    const current = this.latestState.settings.codeSha256;
    if (request.codeSha256 !== undefined && request.codeSha256 !== current) {
      throw invalidParameter(
        `CodeSHA256 (${request.codeSha256}) is different from current CodeSHA256 in $LATEST (${current}). Please try again with the CodeSHA256 in $LATEST.`,
      );
    }
    this.requireRevision(request.revisionId);
    const settings = {
      ...this.latestState.settings,
      ...(request.description !== undefined ? { description: request.description } : {}),
    };
    const newest = this.published.at(-1);
    if (newest && sameSettings(newest.settings, this.latestState.settings)) return newest;
    this.versionsEverPublished += 1;
    const version = {
      version: String(this.versionsEverPublished),
      settings,
      lastModified: now,
      revisionId: randomUUID(),
    };
    this.published.push(version);
    return version;
  }

  /** Creates or replaces an alias (routing already validated); a new RevisionId either way. */
  putAlias(alias: Omit<AliasState, 'revisionId'>): AliasState {
    const state = { ...alias, weights: { ...alias.weights }, revisionId: randomUUID() };
    this.aliasStates.set(alias.name, state);
    return state;
  }

  private requireSettled(now: number): void {
    if (this.status(now) === 'InProgress') throw updateInProgress(this.arn());
  }

  private requireRevision(revisionId: string | undefined): void {
    if (revisionId !== undefined && revisionId !== this.latestState.revisionId) throw revisionMismatch();
  }
}

/** Whether a version frozen from `a` would be the same as one from `b` (the description aside). */
function sameSettings(a: FunctionSettings, b: FunctionSettings): boolean {
  return canonical(a) === canonical(b);
}

function canonical(settings: FunctionSettings): string {
  const { code: _code, description: _description, environment, ...rest } = settings;
  return JSON.stringify({ ...rest, environment: Object.entries(environment).sort() });
}
