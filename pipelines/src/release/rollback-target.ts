import { InputError } from '../errors/input-error';
import type { ReleaseRecord } from '../record/record';

/** The version a manual rollback returns to, and the promoted release that once made it live. */
export interface RollbackTarget {
  version: string;
  release: ReleaseRecord;
  /** `named`: the person gave the version; `previous`: the release before the live one, from the ledger. */
  chosen: 'named' | 'previous';
}

export interface RollbackScope {
  workload: string;
  environment: string;
}

/**
 * Picks what to roll back to from one workload environment's records (newest first, as the ledger lists
 * them). A named version must have been live there: promoted, or replaced by a promotion. Without one,
 * the version the live one's promotion replaced (so the first rollback after Tollgate's first release
 * returns to what was live before it, and a second rollback goes further back); failing that, the newest
 * promoted release of a version other than the live one, skipping versions a manual rollback has since
 * moved away from. Anything else is bad input, naming the versions the ledger knows.
 */
export function rollbackTarget(
  records: readonly ReleaseRecord[],
  scope: RollbackScope,
  live: string,
  named?: string,
): RollbackTarget {
  const promoted = records.filter((record) => record.outcome === 'promoted');
  const where = `${scope.workload} in ${scope.environment}`;
  if (named !== undefined) {
    const release =
      promoted.find((record) => record.toVersion === named) ??
      promoted.find((record) => record.fromVersion === named);
    if (release) return { version: named, release, chosen: 'named' };
    throw new InputError(
      `cannot roll ${where} back to ${named}: ${named} was never live there; ${known(promoted, where)}`,
    );
  }
  const replaced = replacedByLive(promoted, live);
  if (replaced) return { version: replaced.fromVersion, release: replaced, chosen: 'previous' };
  const release = promoted.find((record) => record.toVersion !== live && !rolledBackFrom(records, record));
  if (release) return { version: release.toVersion, release, chosen: 'previous' };
  throw new InputError(
    `no earlier release of ${where} to roll back to (${live} is live): ${whyNone(promoted, live, where)}; name a version to return to`,
  );
}

/** The newest promotion of the live version, if it replaced a known other version. */
function replacedByLive(promoted: readonly ReleaseRecord[], live: string): ReleaseRecord | undefined {
  const promotion = promoted.find((record) => record.toVersion === live);
  if (!promotion || promotion.fromVersion === 'unknown' || promotion.fromVersion === live) return undefined;
  return promotion;
}

/** Whether a manual rollback moved away from this release's version after it was promoted. */
function rolledBackFrom(records: readonly ReleaseRecord[], release: ReleaseRecord): boolean {
  return records.some(
    (other) =>
      other.manualRollback !== undefined &&
      other.outcome === 'rolled-back' &&
      other.fromVersion === release.toVersion &&
      other.toVersion !== release.toVersion &&
      other.startedAt > release.startedAt,
  );
}

function versionsOf(promoted: readonly ReleaseRecord[]): string[] {
  const versions = promoted.flatMap((record) => [record.toVersion, record.fromVersion]);
  return [...new Set(versions.filter((version) => version !== 'unknown'))];
}

function known(promoted: readonly ReleaseRecord[], where: string): string {
  const versions = versionsOf(promoted);
  if (versions.length === 0) return `the ledger has no promoted release of ${where}`;
  return `the ledger knows ${versions.join(', ')} (newest first)`;
}

function whyNone(promoted: readonly ReleaseRecord[], live: string, where: string): string {
  const others = versionsOf(promoted).filter((version) => version !== live);
  if (others.length > 0)
    return `every other promoted version (${others.join(', ')}) was rolled back from since`;
  if (promoted.length > 0) return `the only promoted version in the ledger is ${live}, the live one`;
  return `the ledger has no promoted release of ${where}`;
}
