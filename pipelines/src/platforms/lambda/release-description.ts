import type { FunctionConfiguration } from '@aws-sdk/client-lambda';

/**
 * How a published Lambda version says which release it carries: its environment's RELEASE_VERSION,
 * which the function itself labels its traces, logs and metrics with (workloads/shared/release.ts).
 * Tollgate stages a release by setting RELEASE_VERSION together with the code, so the published version
 * freezes both; its Description ("Tollgate release <version>") is for people reading the console.
 */

/** What a version with no release of its own is called, as the workloads label it (shared/release.ts). */
export const UNRELEASED = 'unreleased';

export function releaseDescription(version: string): string {
  return `Tollgate release ${version}`;
}

/** The release a published version carries: its RELEASE_VERSION, as the function reports it. */
export function releaseOfVersion(config: FunctionConfiguration): string {
  return config.Environment?.Variables?.RELEASE_VERSION?.trim() || UNRELEASED;
}
