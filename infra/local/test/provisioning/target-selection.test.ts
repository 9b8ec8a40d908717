import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { describe, expect, it } from 'vitest';
import { parseCloudFlags } from '../../src/cli/cloud-flags';
import { parseTargetRefs, selectTargets } from '../../src/provisioning/target-selection';

const MANIFEST = parseReleaseManifest(
  JSON.parse(
    readFileSync(fileURLToPath(new URL('../../../aws/release-manifest.json', import.meta.url)), 'utf8'),
  ),
);
const running = (manifest: typeof MANIFEST) =>
  Object.entries(manifest.workloads).flatMap(([w, e]) =>
    Object.keys(e.environments).map((env) => `${w}/${env}`),
  );

describe('which targets the local cloud runs', () => {
  it('runs every workload it can by default, in both environments, and leaves out what needs unserved services', () => {
    expect(running(selectTargets(MANIFEST))).toEqual([
      'auth/production',
      'auth/staging',
      'payments/production',
      'payments/staging',
      'product-search/production',
      'product-search/staging',
      'recommendations/production',
      'recommendations/staging',
    ]);
  });

  it('runs exactly the targets named', () => {
    const only = parseTargetRefs('payments/production, recommendations/staging');
    expect(running(selectTargets(MANIFEST, only))).toEqual([
      'payments/production',
      'recommendations/staging',
    ]);
  });

  it.each([
    ['nope/production', 'no workload "nope" in the release manifest; it has auth, checkout, fraud-detection'],
    ['fulfillment/production', 'fulfillment runs on stepfunctions, which the local cloud does not serve'],
    ['checkout/production', 'checkout needs the order API (API Gateway in front of order-processing), which'],
    ['payments/qa', 'payments has no environment "qa"; it has production, staging'],
  ])('refuses %s, saying why', (text, message) => {
    expect(() => selectTargets(MANIFEST, parseTargetRefs(text))).toThrow(message);
  });

  it('refuses a malformed --only entry and bad flags, naming them', () => {
    expect(() => parseTargetRefs('payments')).toThrow('"payments" is not <workload>/<environment>');
    expect(() => parseCloudFlags({ only: 'a/b/c' })).toThrow(
      '--only: "a/b/c" is not <workload>/<environment>',
    );
    expect(() => parseCloudFlags({ scale: '0' })).toThrow('--scale "0" is not from 1 to 3600');
    expect(() => parseCloudFlags({ port: '70000' })).toThrow('--port "70000" is not a port, 0-65535');
    expect(() => parseCloudFlags({ rps: 'many' })).toThrow('--rps "many" is not requests per second');
    expect(parseCloudFlags({})).toMatchObject({ port: 4599, scale: 60, rps: 50, only: {} });
  });
});
