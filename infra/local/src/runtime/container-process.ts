import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { TelemetrySink } from '../telemetry/sink';

const STDERR_TAIL_LINES = 20;

/** Children still running, killed if this process exits without stopping them (a crashed test run). */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function killLeftoversOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ContainerProcessOptions {
  bundle: string;
  env: Record<string, string>;
  logGroup: string;
  sink: Pick<TelemetrySink, 'logLine'>;
}

/**
 * One `node <bundle>` process: every stdout and stderr line goes to the log group (as the awslogs driver
 * and Fluent Bit send both streams), the last stderr lines are kept to explain a failed start.
 */
export class ContainerProcess {
  readonly exited: Promise<ProcessExit>;
  private readonly child: ChildProcess;
  private readonly tail: string[] = [];
  private exit: ProcessExit | undefined;
  private listeningSeen = false;
  private readonly listeners = new Set<() => void>();

  constructor(options: ContainerProcessOptions) {
    killLeftoversOnExit();
    this.child = spawn(process.execPath, [options.bundle], {
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    live.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        live.delete(this.child);
        this.exit = { code, signal };
        resolve(this.exit);
        this.notify();
      });
    });
    this.child.once('error', (error) => this.tail.push(`spawn failed: ${error.message}`));
    this.forward(this.child.stdout, options, (line) => this.watchForListening(line));
    this.forward(this.child.stderr, options, (line) => {
      this.tail.push(line);
      if (this.tail.length > STDERR_TAIL_LINES) this.tail.shift();
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  running(): boolean {
    return this.exit === undefined;
  }

  exitStatus(): ProcessExit | undefined {
    return this.exit;
  }

  stderrTail(): readonly string[] {
    return this.tail;
  }

  /** Resolves when the server logs that it listens (shared/http.ts `serve`), the process exits, or at the deadline. */
  untilListening(deadline: number): Promise<'listening' | 'exited' | 'timeout'> {
    return new Promise((resolve) => {
      const check = () => {
        const outcome = this.listeningSeen ? 'listening' : this.exit ? 'exited' : undefined;
        if (!outcome) return false;
        clearTimeout(timer);
        this.listeners.delete(onChange);
        resolve(outcome);
        return true;
      };
      const onChange = () => void check();
      const timer = setTimeout(
        () => {
          this.listeners.delete(onChange);
          resolve('timeout');
        },
        Math.max(0, deadline - Date.now()),
      );
      this.listeners.add(onChange);
      check();
    });
  }

  /** SIGTERM (the server drains and flushes its spans), SIGKILL after the grace. */
  async stop(graceMs: number): Promise<void> {
    if (!this.running()) return;
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'grace'>((resolve) => {
      timer = setTimeout(() => resolve('grace'), graceMs);
    });
    const outcome = await Promise.race([this.exited, grace]);
    clearTimeout(timer);
    if (outcome === 'grace' && this.running()) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  private forward(
    stream: NodeJS.ReadableStream | null,
    options: ContainerProcessOptions,
    also: (line: string) => void,
  ): void {
    if (!stream) return;
    createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      options.sink.logLine(options.logGroup, line, Date.now());
      also(line);
    });
  }

  private watchForListening(line: string): void {
    if (this.listeningSeen || !line.includes('"listening"')) return;
    try {
      if ((JSON.parse(line) as { message?: unknown }).message !== 'listening') return;
    } catch {
      return;
    }
    this.listeningSeen = true;
    this.notify();
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
