import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { buildSecureCartApp } from '../app';

/** Where the generated manifest is checked in. */
export const RELEASE_MANIFEST_PATH = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  'release-manifest.json',
);

/**
 * Build the CDK app (constructs only: no synth, no Lambda bundling) and collect its release manifest.
 * Context is the checked-in default (cdk.json's), so the file is reproducible.
 */
export function generateReleaseManifest(context: Record<string, unknown> = {}): ReleaseManifest {
  const { manifest } = buildSecureCartApp({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
  });
  return manifest();
}

export function renderReleaseManifest(manifest: ReleaseManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}
