import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { unzipSync } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { archiveDifferences, packArchive, publishedFiles } from '../../workflows/actions-archive';

const ACTION = (post: boolean) =>
  `name: x\ndescription: x\ninputs:\n  a:\n    description: a\nruns:\n  using: node24\n  main: dist/main.mjs\n${post ? '  post: dist/post.mjs\n' : ''}`;

describe('the published actions archive', () => {
  let root: string;
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'tollgate-archive-'));
    write('actions/deploy/action.yml', ACTION(true));
    write('actions/deploy/dist/main.mjs', 'console.log("deploy");\n');
    write('actions/deploy/dist/post.mjs', 'console.log("post");\n');
    write('actions/deploy/src/main.ts', 'sources are not published\n');
    write('actions/test/action.yml', ACTION(false));
    write('actions/test/dist/main.mjs', 'console.log("test");\n');
    write('actions/runner/inputs.ts', 'no action.yml: not an action\n');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('holds each action.yml and the bundles its runs executes, nothing else', () => {
    const archive = packArchive(publishedFiles(root));
    expect(Object.keys(unzipSync(archive))).toEqual([
      'actions/deploy/action.yml',
      'actions/deploy/dist/main.mjs',
      'actions/deploy/dist/post.mjs',
      'actions/test/action.yml',
      'actions/test/dist/main.mjs',
    ]);
  });

  it('is the same bytes from the same files, whatever the time zone', () => {
    const files = publishedFiles(root);
    const first = packArchive(files);
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      expect(Buffer.compare(packArchive(files), first)).toBe(0);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('matches a rebuild of the same files, and names each bundle that differs', () => {
    const published = packArchive(publishedFiles(root));
    expect(archiveDifferences(published, publishedFiles(root))).toEqual([]);
    write('actions/deploy/dist/post.mjs', 'console.log("changed");\n');
    const [difference] = archiveDifferences(published, publishedFiles(root));
    expect(difference).toMatch(
      /^actions\/deploy\/dist\/post\.mjs: published sha256 [0-9a-f]{64}, rebuilt sha256 [0-9a-f]{64}$/,
    );
    rmSync(path.join(root, 'actions/test'), { recursive: true });
    write('actions/gate/action.yml', ACTION(false));
    write('actions/gate/dist/main.mjs', 'console.log("gate");\n');
    expect(
      archiveDifferences(published, publishedFiles(root)).filter((line) => !line.includes('post.mjs')),
    ).toEqual([
      'actions/gate/action.yml: rebuilt but not published',
      'actions/gate/dist/main.mjs: rebuilt but not published',
      'actions/test/action.yml: published but not rebuilt',
      'actions/test/dist/main.mjs: published but not rebuilt',
    ]);
  });

  it('refuses to pack an action whose bundle was not built', () => {
    rmSync(path.join(root, 'actions/deploy/dist/post.mjs'));
    expect(() => publishedFiles(root)).toThrow(
      'actions/deploy/dist/post.mjs is missing: run npm run bundle first',
    );
  });
});
