import type { ReleaseOutcome } from '../record/record';

/** The deployment status states of GitHub's REST API (`POST /repos/{owner}/{repo}/deployments/{id}/statuses`). */
export type DeploymentState =
  | 'error'
  | 'failure'
  | 'inactive'
  | 'in_progress'
  | 'queued'
  | 'pending'
  | 'success';

/**
 * The state each outcome is shown as. `held` is `queued` (waiting for a person, not running; `pending` is
 * what GitHub shows for a deployment with no status yet). `rolled-back`, `blocked` and `failed` are
 * `failure`: the version did not ship and Tollgate says how traffic stands. `abandoned` is `error`: its run
 * stopped without finishing. `inactive` is left to GitHub, which gives it to superseded deployments, so an
 * unfinished release never looks like a retired successful one.
 */
export const STATE_OF: Readonly<Record<ReleaseOutcome, DeploymentState>> = {
  'in-progress': 'in_progress',
  held: 'queued',
  promoted: 'success',
  'rolled-back': 'failure',
  blocked: 'failure',
  failed: 'failure',
  abandoned: 'error',
};

const WORDS: Readonly<Record<ReleaseOutcome, string>> = {
  'in-progress': 'in progress',
  held: 'held',
  promoted: 'promoted',
  'rolled-back': 'rolled back',
  blocked: 'blocked',
  failed: 'failed',
  abandoned: 'abandoned',
};

/** GitHub refuses a status description longer than this (REST API: "maximum description length is 140"). */
export const MAX_DESCRIPTION = 140;
const ELLIPSIS = '…';
const UNKNOWN_VERSION = 'unknown';
const MIN_REASON = 30;

/** What one status says beyond its state; the rest of the record is in the deployment's payload. */
export interface StatusFacts {
  outcome: ReleaseOutcome;
  fromVersion: string;
  /** Milliseconds from the release's start to this status (the record's `updatedAt - startedAt`). */
  elapsedMs: number;
  reason: string;
}

/**
 * A status description a person can read and Tollgate can read back:
 * `rolled back, from 1.3.9, after 5m30s: p50 latency +45% (limit 10%)`. The reason is put on one line and
 * cut to fit 140 characters, ending in `…` when cut; the version it came from is left out while unknown.
 */
export function describeStatus(facts: StatusFacts): string {
  const short = `${WORDS[facts.outcome]}, after ${formatElapsed(facts.elapsedMs)}: `;
  const from = facts.fromVersion === UNKNOWN_VERSION ? '' : `, from ${facts.fromVersion}`;
  const long = `${WORDS[facts.outcome]}${from}, after ${formatElapsed(facts.elapsedMs)}: `;
  // A version too long to leave room for a reason is dropped rather than the reason.
  const head = long.length <= MAX_DESCRIPTION - MIN_REASON ? long : short;
  return head + clip(oneLine(facts.reason), MAX_DESCRIPTION - head.length);
}

const DESCRIPTION =
  /^([a-z ]+?)(?:, from (\S+))?, after (-?(?:\d+h)?(?:\d+m)?(?:\d+(?:\.\d{1,3})?s)?): ?(.*)$/s;

/** The facts of a description `describeStatus` wrote, or undefined for any other (GitHub's, another tool's). */
export function readStatus(state: string, description: string | null | undefined): StatusFacts | undefined {
  const match = DESCRIPTION.exec(description ?? '');
  if (!match) return undefined;
  const [, words, from, elapsed, reason] = match;
  const outcome = outcomeOf(words ?? '');
  const elapsedMs = elapsed ? parseElapsed(elapsed) : undefined;
  if (!outcome || STATE_OF[outcome] !== state || elapsedMs === undefined) return undefined;
  return { outcome, fromVersion: from ?? UNKNOWN_VERSION, elapsedMs, reason: reason ?? '' };
}

/** `text` on one line, cut to `max` UTF-16 units (never inside a surrogate pair), `…` marking a cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - ELLIPSIS.length));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return cut + ELLIPSIS;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function outcomeOf(words: string): ReleaseOutcome | undefined {
  const found = Object.entries(WORDS).find(([, text]) => text === words);
  return found?.[0] as ReleaseOutcome | undefined;
}

/** `0s`, `45.5s`, `5m30s`, `1h2m3.125s`: exact to the millisecond, readable at a glance. */
export function formatElapsed(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  const whole = Math.round(Math.abs(ms));
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor((whole % 3_600_000) / 60_000);
  const secondsMs = whole % 60_000;
  const parts = [hours ? `${hours}h` : '', minutes ? `${minutes}m` : ''];
  if (secondsMs || (!hours && !minutes)) parts.push(`${secondsMs / 1000}s`);
  return sign + parts.join('');
}

function parseElapsed(text: string): number | undefined {
  const match = /^(-?)(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)(?:\.(\d{1,3}))?s)?$/.exec(text);
  if (!match || text === '' || text === '-') return undefined;
  const [, sign, hours, minutes, seconds, fraction] = match;
  const ms =
    Number(hours ?? 0) * 3_600_000 +
    Number(minutes ?? 0) * 60_000 +
    Number(seconds ?? 0) * 1000 +
    Number((fraction ?? '').padEnd(3, '0'));
  return sign ? -ms : ms;
}
