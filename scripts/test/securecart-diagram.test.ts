import * as fs from 'node:fs';
import { parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, MANIFEST_PATH, mermaid, renderDoc } from '../securecart-diagram';

const manifest = parseReleaseManifest(JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')));

describe('docs/securecart.md', () => {
  it('is what scripts/securecart-diagram.ts generates from the release manifest (no drift)', () => {
    expect(fs.readFileSync(DOC_PATH, 'utf8')).toBe(renderDoc(manifest));
  });

  it('draws every workload in its platform subgraph', () => {
    const chart = mermaid(manifest);
    for (const [name, entry] of Object.entries(manifest.workloads)) {
      expect(chart).toContain(`["${name}"]`);
      expect(chart).toContain(`subgraph ${entry.platform.replace(/[^A-Za-z0-9]/g, '_')}[`);
    }
    expect(chart).toContain('order_processing -->|"StartExecution :live"| fulfillment');
  });

  it('tables each workload with how it is released', () => {
    const doc = renderDoc(manifest);
    expect(doc).toMatch(/\| checkout +\| Amazon ECS on Fargate +\| CodeDeploy blue\/green/);
    expect(doc).toMatch(
      /\| auth +\| Amazon ECS on Fargate +\| ECS-native canary 10%, paused before each step/,
    );
    expect(doc).toMatch(
      /\| payments +\| AWS Lambda +\| alias `live` weighted by Tollgate, or shifted by CodeDeploy/,
    );
  });
});
