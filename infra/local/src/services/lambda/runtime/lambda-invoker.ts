import { randomUUID } from 'node:crypto';
import type { FaultPlan } from '../../../faults/fault-plan';
import type { TelemetrySink } from '../../../telemetry/sink';
import { pickVersion } from '../alias-routing';
import { parseFunctionName } from '../function-name';
import type { FunctionSettings, FunctionState } from '../function-state';
import type { FunctionStore } from '../function-store';
import { functionNotFound, throttled } from '../lambda-errors';
import { CodeDirectories } from './code-directory';
import { ExecutionEnvironment, type FunctionError, type Outcome } from './execution-environment';
import {
  facadeSegments,
  functionTraceHeader,
  type InvocationTrace,
  invocationTrace,
  type Span,
} from './facade-segments';
import { functionEnvironment, injectedFaults } from './function-environment';
import { platformReport, platformStart } from './platform-log';
import { type MetricTarget, VendedMetrics } from './vended-metrics';
import { VersionPool } from './version-pool';

export interface InvokeResult {
  /** The version that ran (`$LATEST` or a number), as Invoke's X-Amz-Executed-Version says. */
  executedVersion: string;
  /** The handler's result, or the error Lambda returns in the payload of a failed invocation. */
  payload: unknown;
  error?: FunctionError;
}

export interface InvokeOptions {
  /** The caller's X-Amzn-Trace-Id; a new trace when absent. */
  traceHeader?: string;
}

export interface InvokerOptions {
  store: FunctionStore;
  sink: TelemetrySink;
  daemonAddress: string;
  faults: FaultPlan;
  /** Picks an alias's version by weight; [0, 1). */
  random: () => number;
  /** Executions of one function at once (its reserved concurrency); more are throttled. */
  maxConcurrency: number;
}

/** The version an invocation runs and how the caller named it. */
interface Target {
  version: string;
  settings: FunctionSettings;
  poolKey: string;
  metrics: MetricTarget;
  invokedArn: string;
}

/**
 * Lambda's invoke path: resolves the qualifier (an alias by its routing weights), takes an execution
 * environment of that version (warm, or a cold start), runs the handler there, and publishes what
 * Lambda publishes beside the function: its X-Ray segments, its AWS/Lambda metrics and its platform
 * log lines.
 */
export class LambdaInvoker {
  private readonly pools = new Map<string, VersionPool>();
  private readonly inFlight = new Map<string, number>();
  private readonly code = new CodeDirectories();
  private readonly metrics: VendedMetrics;
  private closed = false;

  constructor(private readonly options: InvokerOptions) {
    this.metrics = new VendedMetrics(options.sink);
  }

  async invoke(
    functionName: string,
    qualifier: string | undefined,
    payload: unknown,
    invokeOptions: InvokeOptions = {},
  ): Promise<InvokeResult> {
    if (this.closed) throw new Error(`the local Lambda runtime is closed; cannot invoke ${functionName}`);
    const fn = this.functionNamed(functionName);
    const target = this.resolve(fn, parseFunctionName(functionName, qualifier).qualifier);
    const trace = invocationTrace(invokeOptions.traceHeader);
    const name = fn.identity.name;
    const running = this.inFlight.get(name) ?? 0;
    const startMs = wallClockMs();
    if (running >= this.options.maxConcurrency) {
      this.metrics.throttled(target.metrics, startMs);
      this.segments(fn, target, trace, randomUUID(), {
        whole: { startMs, endMs: wallClockMs() },
        throttled: true,
      });
      throw throttled();
    }
    this.inFlight.set(name, running + 1);
    this.metrics.concurrency(target.metrics, running + 1, startMs);
    try {
      return await this.run(fn, target, trace, payload, startMs);
    } finally {
      this.inFlight.set(name, (this.inFlight.get(name) ?? 1) - 1);
    }
  }

  /**
   * Initializes `count` environments of a published version before it gets traffic. The local cloud runs
   * time faster than a cold start does, so without this one canary's first real second (a minute of cloud
   * time) would start dozens of environments and every request in it would be a cold start.
   */
  async prewarm(functionName: string, version: string, count: number): Promise<void> {
    if (this.closed) return;
    const fn = this.functionNamed(functionName);
    const target = this.resolve(fn, version);
    await this.poolOf(fn, target).prewarm(
      injectedFaults(this.options.faults, fn.identity, target.settings),
      count,
    );
  }

  /** Kills every execution environment and removes the extracted code. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pools.values()].map((pool) => pool.stopAll()));
    await this.code.removeAll();
  }

  /** Execution environments alive now, over all versions. */
  get environments(): number {
    return [...this.pools.values()].reduce((total, pool) => total + pool.size, 0);
  }

  /** The process ids of those environments. */
  get pids(): number[] {
    return [...this.pools.values()].flatMap((pool) => pool.pids);
  }

  private async run(
    fn: FunctionState,
    target: Target,
    trace: InvocationTrace,
    payload: unknown,
    startMs: number,
  ): Promise<InvokeResult> {
    const requestId = randomUUID();
    const logGroup = `/aws/lambda/${fn.identity.name}`;
    const pool = this.poolOf(fn, target);
    const faults = injectedFaults(this.options.faults, fn.identity, target.settings);
    const { environment, cold } = await pool.acquire(faults);
    const initOutcome = await environment.init;
    const init = cold ? { startMs, endMs: wallClockMs() } : undefined;
    this.options.sink.logLine(logGroup, platformStart(requestId, target.version), Date.now());
    const ran = initOutcome.ok
      ? await this.execute(fn, target, environment, { requestId, trace, payload, logGroup })
      : { outcome: { kind: 'lost', error: initOutcome.error } as Outcome, durationMs: initOutcome.initMs };
    if (ran.outcome.kind === 'lost') await pool.discard(environment);
    else pool.release(environment);
    const { outcome, durationMs } = ran;
    const error = outcome.kind === 'result' ? undefined : outcome.error;
    const endMs = wallClockMs();
    const report = {
      durationMs,
      memorySizeMB: target.settings.memorySize,
      ...(cold ? { initDurationMs: initOutcome.initMs } : {}),
    };
    this.options.sink.logLine(logGroup, platformReport(requestId, report, outcome), endMs);
    this.metrics.invoked(target.metrics, { failed: error !== undefined, durationMs, realEpochMs: startMs });
    this.segments(fn, target, trace, requestId, {
      whole: { startMs, endMs },
      ...(init ? { init } : {}),
      ...('invocation' in ran ? { invocation: ran.invocation } : {}),
      ...(error ? { error } : {}),
    });
    if (outcome.kind === 'result') return { executedVersion: target.version, payload: outcome.payload };
    return { executedVersion: target.version, payload: outcome.error, error: outcome.error };
  }

  /** One invocation in a ready environment; its duration measured with the high-resolution clock. */
  private async execute(
    fn: FunctionState,
    target: Target,
    environment: ExecutionEnvironment,
    call: { requestId: string; trace: InvocationTrace; payload: unknown; logGroup: string },
  ): Promise<{ outcome: Outcome; durationMs: number; invocation: Span }> {
    const startMs = wallClockMs();
    const began = performance.now();
    const outcome = await environment.invoke({
      requestId: call.requestId,
      event: call.payload,
      traceId: functionTraceHeader(call.trace),
      context: {
        awsRequestId: call.requestId,
        functionName: fn.identity.name,
        functionVersion: target.version,
        invokedFunctionArn: target.invokedArn,
        memoryLimitInMB: String(target.settings.memorySize),
        logGroupName: call.logGroup,
        deadlineMs: startMs + target.settings.timeout * 1000,
      },
    });
    const durationMs = performance.now() - began;
    return { outcome, durationMs, invocation: { startMs, endMs: wallClockMs() } };
  }

  private segments(
    fn: FunctionState,
    target: Target,
    trace: InvocationTrace,
    requestId: string,
    facts: { whole: Span; init?: Span; invocation?: Span; error?: FunctionError; throttled?: boolean },
  ): void {
    const { name, account } = fn.identity;
    const documents = facadeSegments(trace, {
      functionName: name,
      account,
      invokedArn: target.invokedArn,
      requestId,
      ...facts,
    });
    this.options.sink.segments(documents);
  }

  private functionNamed(functionName: string): FunctionState {
    const reference = parseFunctionName(functionName);
    const fn = this.options.store.byName(reference.name);
    if (!fn || (reference.account !== undefined && reference.account !== fn.identity.account)) {
      throw functionNotFound(functionName);
    }
    return fn;
  }

  /** $LATEST, a version number, or an alias, which picks a version by its routing weights. */
  private resolve(fn: FunctionState, qualifier: string | undefined): Target {
    const name = fn.identity.name;
    const latest = (metrics: MetricTarget, invokedArn: string): Target => ({
      version: '$LATEST',
      settings: fn.latest.settings,
      poolKey: `${name}-latest-${fn.latest.revisionId}`,
      metrics,
      invokedArn,
    });
    const published = (ref: string, metrics: MetricTarget, invokedArn: string): Target => ({
      version: ref,
      settings: fn.requireVersion(ref).settings,
      poolKey: `${name}-${ref}`,
      metrics,
      invokedArn,
    });
    if (qualifier === undefined || qualifier === '$LATEST') return latest({ functionName: name }, fn.arn());
    const resource = `${name}:${qualifier}`;
    if (/^[0-9]+$/.test(qualifier))
      return published(qualifier, { functionName: name, resource }, fn.arn(qualifier));
    const alias = fn.alias(qualifier);
    if (!alias) throw functionNotFound(fn.arn(qualifier));
    const ref = pickVersion(alias, this.options.random);
    const metrics = { functionName: name, resource, executedVersion: ref };
    return ref === '$LATEST'
      ? latest(metrics, fn.arn(qualifier))
      : published(ref, metrics, fn.arn(qualifier));
  }

  private poolOf(fn: FunctionState, target: Target): VersionPool {
    let pool = this.pools.get(target.poolKey);
    if (!pool) {
      const { poolKey, settings, version } = target;
      const { daemonAddress, sink } = this.options;
      pool = new VersionPool(async (faults, initialization) => {
        if (this.closed)
          throw new Error(`the local Lambda runtime is closed; cannot start ${fn.identity.name}`);
        const taskRoot = await this.code.directory(poolKey, settings.code);
        const env = functionEnvironment({
          identity: fn.identity,
          settings,
          version,
          taskRoot,
          daemonAddress,
          faults,
          initialization,
        });
        const logGroup = `/aws/lambda/${fn.identity.name}`;
        return new ExecutionEnvironment({
          taskRoot,
          env,
          logGroup,
          sink,
          timeoutMs: settings.timeout * 1000,
        });
      });
      this.pools.set(target.poolKey, pool);
    }
    return pool;
  }
}

/**
 * Wall-clock time with the high-resolution clock's precision: segment times are what the judge measures,
 * and Date.now()'s whole milliseconds are a coarse ruler for a 20 ms invocation.
 */
function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}
