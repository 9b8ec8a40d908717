import * as fs from 'node:fs';
import { METHOD_PERMISSIONS } from '@tollgate/pipelines/backends/aws-permissions';
import { parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, MANIFEST_PATH, renderDoc } from '../platform-docs';

const manifest = parseReleaseManifest(JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')));

describe('docs/platforms.md', () => {
  it('is what scripts/platform-docs.ts generates from the capability and permission tables (no drift)', () => {
    expect(fs.readFileSync(DOC_PATH, 'utf8')).toBe(renderDoc(manifest));
  });

  it('has a section for every release method, listing each IAM action its adapter sends', () => {
    const doc = renderDoc(manifest);
    for (const [method, permissions] of Object.entries(METHOD_PERMISSIONS)) {
      const section = doc.split(`## \`${method}\`:`)[1]?.split('\n## ')[0] ?? '';
      expect(section, method).not.toBe('');
      for (const { action } of permissions)
        expect(section, `${method} ${action}`).toContain(`| \`${action}\` |`);
    }
  });
});
