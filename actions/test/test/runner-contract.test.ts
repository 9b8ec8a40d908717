import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleAction } from '../../bundle/bundle-action';
import { startActionStep } from '../../bundle/run-bundled-action';
import { unescapeCommandData } from '../../bundle/runner-log';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const WORKLOADS_DIR = 'actions/test/test/fixtures/workloads';
const RED_FILE = `${WORKLOADS_DIR}/red/test/checkout.spec.ts`;

interface Annotation {
  properties: Record<string, string>;
  message: string;
}

let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'tollgate-test-action-'));
  await bundleAction('test');
}, 60_000);

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/** Runs the bundled action as the runner does: a node process in the workspace, inputs as INPUT_*. */
async function runStep(inputs: Record<string, string>) {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: REPO,
    RUNNER_TEMP: scratch,
  };
  const { code, log, outputs, summary } = await (
    await startActionStep({ action: 'test', inputs, env, cwd: REPO })
  ).done;
  return { exitCode: code, stdout: log, outputs, summary };
}

/** `::error key=value,…::message` workflow commands, their escapes undone. */
function errorAnnotations(stdout: string): Annotation[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('::error'))
    .map((line) => {
      const match = /^::error(?: ([^:]*))?::(.*)$/.exec(line);
      if (!match) throw new Error(`not a workflow command: ${line}`);
      const properties: Record<string, string> = {};
      for (const pair of match[1] ? match[1].split(',') : []) {
        const [key = '', value = ''] = pair.split('=');
        properties[key] = unescapeCommandData(value);
      }
      return { properties, message: unescapeCommandData(match[2] ?? '') };
    });
}

describe('the test action as the runner runs it', () => {
  it('fails the step on a failing test, annotating its line, with the counts and the table', async () => {
    const run = await runStep({ workload: 'red', 'workloads-dir': WORKLOADS_DIR });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({ passed: '1', failed: '1', skipped: '1' });
    expect(errorAnnotations(run.stdout)).toEqual([
      {
        properties: {
          title: 'checkout totals › applies the discount',
          file: RED_FILE,
          line: '10',
          col: '19',
        },
        message: 'AssertionError: expected 85 to be 90 // Object.is equality',
      },
      { properties: {}, message: 'red: 1 passed, 1 failed, 1 skipped' },
    ]);
    expect(run.summary).toMatch(/^## red: 1 passed, 1 failed, 1 skipped\n/);
    expect(run.summary).toMatch(new RegExp(`\\n\\| ${RED_FILE} \\| 1 \\| 1 \\| 1 \\| \\d+ ms \\|\\n`));
    expect(run.summary).toContain(
      `**checkout totals › applies the discount** (${RED_FILE}:10)\n\n\`\`\`text\nAssertionError: expected 85 to be 90 // Object.is equality\n\`\`\``,
    );
  }, 60_000);

  it('passes the step when every test passes, with no annotation', async () => {
    const run = await runStep({ workload: 'green', 'workloads-dir': WORKLOADS_DIR });
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ passed: '2', failed: '0', skipped: '0' });
    expect(errorAnnotations(run.stdout)).toEqual([]);
    expect(run.summary).toMatch(/^## green: 2 passed, 0 failed\n/);
    expect(run.summary).toMatch(
      /\n\| actions\/test\/test\/fixtures\/workloads\/green\/test\/basket\.spec\.ts \| 2 \| 0 \| 0 \| \d+ ms \|\n/,
    );
    expect(run.summary).not.toContain('### Failures');
  }, 60_000);

  it("fails the step when none of the workload's tests ran, under the repository's config", async () => {
    const run = await runStep({ workload: 'empty', 'workloads-dir': WORKLOADS_DIR });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({ passed: '0', failed: '0', skipped: '0' });
    expect(errorAnnotations(run.stdout)).toEqual([
      { properties: {}, message: 'no test file of "empty" ran (vitest exited with code 1)' },
    ]);
    expect(run.summary).toBe('## empty: 0 passed, 0 failed\n\nNo test files ran.\n');
  }, 60_000);

  it('fails the step when vitest cannot run at all and writes no report', async () => {
    const run = await runStep({ workload: 'misconfigured', 'workloads-dir': WORKLOADS_DIR });
    expect(run.exitCode).toBe(1);
    expect(run.outputs).toEqual({});
    expect(errorAnnotations(run.stdout)).toEqual([
      {
        properties: {},
        message: 'vitest wrote no report for "misconfigured" (exit code 1): see its output above',
      },
    ]);
  }, 60_000);

  it('exits 2 for an unknown workload, naming the input and the workloads with tests', async () => {
    const run = await runStep({ workload: 'blue', 'workloads-dir': WORKLOADS_DIR });
    expect(run.exitCode).toBe(2);
    expect(errorAnnotations(run.stdout)).toEqual([
      {
        properties: {},
        message: `input "workload" is "blue": no folder with tests by that name in "${WORKLOADS_DIR}"; allowed: "empty", "green", "misconfigured", "red"`,
      },
    ]);
    expect(run.outputs).toEqual({});
    expect(run.summary).toBe('');
  }, 60_000);

  it('exits 2 when workloads-dir is not a folder', async () => {
    const run = await runStep({ workload: 'red', 'workloads-dir': 'no/such/dir' });
    expect(run.exitCode).toBe(2);
    expect(errorAnnotations(run.stdout)).toEqual([
      {
        properties: {},
        message: `input "workloads-dir" is "no/such/dir": no such folder in ${REPO.replace(/\/$/, '')}`,
      },
    ]);
  }, 60_000);
});
