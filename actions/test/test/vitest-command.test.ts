import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { testedWorkloads } from '../src/tested-workloads';
import { vitestCommand } from '../src/vitest-command';
import { findVitestSetup } from '../src/vitest-setup';

const REPO = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
const FIXTURES = `${REPO}/actions/test/test/fixtures/workloads`;

describe('vitestCommand', () => {
  const reporting = [
    '--includeTaskLocation',
    '--reporter=default',
    '--reporter=json',
    '--outputFile.json=/t/r.json',
  ];

  it("runs the repository's config filtered to the workload's folder", () => {
    const command = vitestCommand({ cli: '/r/vitest.mjs' }, '/r/workloads/payments', '/t/r.json', '/r');
    expect(command).toEqual({
      command: process.execPath,
      args: ['/r/vitest.mjs', 'run', '/r/workloads/payments/', ...reporting],
      cwd: '/r',
    });
  });

  it("runs a workload's own config with the workload as vitest's root", () => {
    const setup = { cli: '/r/vitest.mjs', workloadConfig: '/r/w/red/vitest.config.ts' };
    expect(vitestCommand(setup, '/r/w/red', '/t/r.json', '/r').args).toEqual([
      '/r/vitest.mjs',
      'run',
      '/r/w/red/',
      '--config',
      '/r/w/red/vitest.config.ts',
      '--root',
      '/r/w/red',
      ...reporting,
    ]);
  });
});

describe('findVitestSetup', () => {
  it("finds the repository's vitest and a fixture workload's own config", async () => {
    expect(await findVitestSetup(REPO, `${FIXTURES}/red`)).toEqual({
      cli: `${REPO}/node_modules/vitest/vitest.mjs`,
      workloadConfig: `${FIXTURES}/red/vitest.config.ts`,
    });
  });

  it('finds no config of its own for a workload of the repository', async () => {
    expect(await findVitestSetup(REPO, `${REPO}/workloads/payments`)).toEqual({
      cli: `${REPO}/node_modules/vitest/vitest.mjs`,
    });
  });

  it('says to install the dependencies when vitest is not there', async () => {
    await expect(findVitestSetup('/', `${FIXTURES}/red`)).rejects.toThrow(
      "vitest is not installed in /: install the repository's dependencies (npm ci) before this step",
    );
  });
});

describe('testedWorkloads', () => {
  it('lists the folders with a test folder, sorted', async () => {
    expect(await testedWorkloads(FIXTURES)).toEqual(['empty', 'green', 'misconfigured', 'red']);
  });
});
