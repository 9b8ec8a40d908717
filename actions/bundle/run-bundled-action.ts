import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionDefaults } from './action-metadata';
import { ACTIONS_ROOT, type ActionName } from './bundle-action';
import { inputVariable, parseFileCommands } from './runner-files';

export interface ActionStep {
  action: ActionName;
  entry?: 'main' | 'post';
  /** As a workflow's `with:` gives them; the runner fills in action.yml's defaults for the rest. */
  inputs: Record<string, string>;
  /** The runner's own variables (GITHUB_ACTOR, GITHUB_REPOSITORY, …) and anything else the step sees. */
  env?: NodeJS.ProcessEnv;
  /** What the main step saved with saveState, which the runner hands the post step as STATE_<name>. */
  state?: Record<string, string>;
  /** The event that triggered the workflow (GITHUB_EVENT_PATH). */
  event?: unknown;
  cwd?: string;
  /** Called with every stdout line as it comes (the demo shows them live). */
  onLine?: (line: string) => void;
}

export interface StepResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr. */
  log: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
}

export interface RunningStep {
  child: ChildProcess;
  /** Resolves with the first stdout line matching `pattern`, or undefined if the step ends first. */
  line(pattern: RegExp): Promise<string | undefined>;
  done: Promise<StepResult>;
}

/**
 * Runs a bundled action as GitHub's runner does: `node dist/<entry>.mjs`, its inputs as INPUT_* with
 * every action.yml default applied, and GITHUB_OUTPUT, GITHUB_STATE, GITHUB_STEP_SUMMARY and
 * GITHUB_EVENT_PATH files that are read back when it ends.
 */

export async function startActionStep(step: ActionStep): Promise<RunningStep> {
  const defaults = await actionDefaults(step.action, { 'github.token': step.env?.GITHUB_TOKEN ?? '' });
  const dir = await mkdtemp(join(tmpdir(), `tollgate-step-${step.action}-`));
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_EVENT_PATH: join(dir, 'event.json'),
  };
  for (const file of Object.values(files)) await writeFile(file, '');
  await writeFile(files.GITHUB_EVENT_PATH, JSON.stringify(step.event ?? {}));
  const inputs = { ...defaults, ...step.inputs };
  const env: NodeJS.ProcessEnv = {
    ...step.env,
    ...files,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [inputVariable(name), value])),
    ...Object.fromEntries(Object.entries(step.state ?? {}).map(([name, value]) => [`STATE_${name}`, value])),
  };
  const entry = join(ACTIONS_ROOT, step.action, 'dist', `${step.entry ?? 'main'}.mjs`);
  const child = spawn(process.execPath, [entry], {
    cwd: step.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = collect(child, step.onLine);
  const done = new Promise<StepResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      readResult(files).then((result) => resolve({ code, signal, log: log.text(), ...result }), reject);
    });
  });
  return { child, line: log.line, done };
}

async function readResult(files: Record<'GITHUB_OUTPUT' | 'GITHUB_STATE' | 'GITHUB_STEP_SUMMARY', string>) {
  return {
    outputs: parseFileCommands(await readFile(files.GITHUB_OUTPUT, 'utf8')),
    state: parseFileCommands(await readFile(files.GITHUB_STATE, 'utf8')),
    summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
  };
}

function collect(child: ChildProcess, onLine: (line: string) => void = () => {}) {
  let text = '';
  let partial = '';
  const waiters = new Set<{ pattern: RegExp; resolve: (line: string | undefined) => void }>();
  child.stdout?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      onLine(line);
      for (const waiter of [...waiters]) {
        if (!waiter.pattern.test(line)) continue;
        waiters.delete(waiter);
        waiter.resolve(line);
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  child.once('close', () => {
    for (const waiter of waiters) waiter.resolve(undefined);
    waiters.clear();
  });
  return {
    text: () => text,
    line: (pattern: RegExp) =>
      new Promise<string | undefined>((resolve) => waiters.add({ pattern, resolve })),
  };
}
