import { type ChildProcess, fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TelemetrySink } from '../../../telemetry/sink';

const BOOTSTRAP = fileURLToPath(new URL('./bootstrap.cjs', import.meta.url));

/** An error as Lambda reports a failed invocation in its payload. */
export interface FunctionError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

/** What one invocation in an environment came to; `lost` means the environment is gone with it. */
export type Outcome =
  | { kind: 'result'; payload: unknown }
  | { kind: 'error'; error: FunctionError }
  | { kind: 'lost'; error: FunctionError };

/** How the init phase ended: the handler loaded, or it did not (and the process is gone). */
export type InitOutcome = { ok: true; initMs: number } | { ok: false; error: FunctionError; initMs: number };

export interface InvokeMessage {
  requestId: string;
  event: unknown;
  traceId: string;
  context: Record<string, unknown> & { deadlineMs: number };
}

export interface EnvironmentSpec {
  taskRoot: string;
  env: Record<string, string>;
  logGroup: string;
  sink: TelemetrySink;
  /** The function's timeout, in real ms. */
  timeoutMs: number;
}

type Message = { type: string; id?: string; payload?: unknown; error?: FunctionError };

/**
 * One Lambda execution environment: a Node.js process running bootstrap.cjs in the version's code
 * directory, with only the environment Lambda would give it. Its stdout and stderr lines go to the
 * function's log group; it serves one invocation at a time.
 */
export class ExecutionEnvironment {
  readonly init: Promise<InitOutcome>;
  /** The FaultPlan entry it was started with, as set in SECURECART_INJECTED_FAULTS (or ''). */
  readonly faults: string;
  busy = false;
  private readonly child: ChildProcess;
  private exited = false;
  private readonly exit: Promise<void>;
  private current: { id: string; settle: (outcome: Outcome) => void } | undefined;

  constructor(private readonly spec: EnvironmentSpec) {
    this.faults = spec.env.SECURECART_INJECTED_FAULTS ?? '';
    const started = Date.now();
    this.child = fork(BOOTSTRAP, [], {
      cwd: spec.taskRoot,
      env: spec.env,
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on('line', (line) =>
        spec.sink.logLine(spec.logGroup, line, Date.now()),
      );
    }
    this.exit = new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      // A process that could not be started at all emits only 'error'.
      this.child.once('error', () => {
        if (this.child.pid === undefined) this.child.emit('exit', 1, null);
      });
    });
    this.init = new Promise((resolve) => {
      let initError: FunctionError | undefined;
      this.child.on('message', (message: Message) => {
        if (message.type === 'ready') resolve({ ok: true, initMs: Date.now() - started });
        else if (message.type === 'init-error' && message.error) initError = message.error;
        else this.settle(message);
      });
      this.child.once('exit', (code, signal) => {
        this.exited = true;
        const error = initError ?? exitError(code, signal);
        resolve({ ok: false, error, initMs: Date.now() - started });
        this.current?.settle({ kind: 'lost', error: exitError(code, signal, this.current.id) });
      });
    });
  }

  /** The process id, for a caller that checks nothing is left running. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  alive(): boolean {
    return !this.exited;
  }

  /** Runs one invocation; a child that exits meanwhile, or runs past the timeout, loses it. */
  invoke(message: InvokeMessage): Promise<Outcome> {
    if (this.exited) return Promise.resolve({ kind: 'lost', error: exitError(1, null, message.requestId) });
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const seconds = (this.spec.timeoutMs / 1000).toFixed(2);
        this.current = undefined;
        this.child.kill('SIGKILL');
        resolve({
          kind: 'lost',
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `RequestId: ${message.requestId} Error: Task timed out after ${seconds} seconds`,
          },
        });
      }, this.spec.timeoutMs);
      this.current = {
        id: message.requestId,
        settle: (outcome) => {
          clearTimeout(timer);
          this.current = undefined;
          resolve(outcome);
        },
      };
      this.child.send({ type: 'invoke', id: message.requestId, ...message });
    });
  }

  async stop(): Promise<void> {
    if (!this.exited) this.child.kill('SIGKILL');
    await this.exit;
  }

  private settle(message: Message): void {
    if (!this.current || message.id !== this.current.id) return;
    if (message.type === 'result') this.current.settle({ kind: 'result', payload: message.payload });
    else if (message.type === 'error' && message.error)
      this.current.settle({ kind: 'error', error: message.error });
  }
}

function exitError(code: number | null, signal: NodeJS.Signals | null, requestId?: string): FunctionError {
  const status = signal ? `signal: ${signal}` : `exit status ${code ?? 1}`;
  const prefix = requestId ? `RequestId: ${requestId} ` : '';
  return {
    errorType: 'Runtime.ExitError',
    errorMessage: `${prefix}Error: Runtime exited with error: ${status}`,
  };
}
