import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { ServiceTelemetry } from '@securecart/shared/container-telemetry';
import type { ReconciliationReport } from './reconcile';
import { runBatch, yesterday } from './run';
import { nextRunAt, type TimeOfDay } from './schedule';
import type { ReconciliationSource } from './source';

/** The clock and the timer are passed in, so a test moves time instead of waiting for 02:00. */
export interface Clock {
  now(): Date;
}
export interface Timer {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}
export const systemClock: Clock = { now: () => new Date() };
export const systemTimer: Timer = {
  set: (callback, delayMs) => setTimeout(callback, delayMs),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface RunRecord {
  date: string;
  startedAt: string;
  finishedAt?: string;
  exitCode?: number;
}

export interface NightlyStatus {
  state: 'scheduled' | 'running' | 'stopped';
  nextRunAt?: string;
  current?: RunRecord;
  last?: RunRecord;
}

export interface NightlyOptions {
  telemetry: ServiceTelemetry;
  source: ReconciliationSource;
  at: TimeOfDay;
  clock?: Clock;
  timer?: Timer;
  writeReport?: (report: ReconciliationReport) => Promise<void>;
}

export type StopOutcome = 'idle' | 'finished' | 'abandoned';

/**
 * Runs the reconciliation of the previous UTC day once a day at `at`, one run at a time. Each run is
 * traced and measured by runBatch (span `order-batch reconcile`; EMF OrdersReconciled, Mismatches,
 * BatchFailures, RunDuration). A failed run is logged and counted, and the worker waits for the next night.
 */
export class NightlyReconciler {
  private readonly clock: Clock;
  private readonly timer: Timer;
  private handle: unknown;
  private next: Date | undefined;
  private running: Promise<number> | undefined;
  private current: RunRecord | undefined;
  private last: RunRecord | undefined;
  private stopped = false;

  constructor(private readonly options: NightlyOptions) {
    this.clock = options.clock ?? systemClock;
    this.timer = options.timer ?? systemTimer;
  }

  start(): void {
    this.schedule();
  }

  status(): NightlyStatus {
    const state = this.stopped ? 'stopped' : this.running ? 'running' : 'scheduled';
    return {
      state,
      ...(this.next && !this.stopped ? { nextRunAt: this.next.toISOString() } : {}),
      ...(this.current ? { current: { ...this.current } } : {}),
      ...(this.last ? { last: { ...this.last } } : {}),
    };
  }

  /** Runs now (the timer calls this). Skipped while a run is in progress or once stopping. */
  async runNow(): Promise<number | undefined> {
    if (this.running || this.stopped) {
      this.options.telemetry.logger.warn('run skipped', { reason: this.stopped ? 'stopping' : 'busy' });
      return undefined;
    }
    const now = this.clock.now();
    this.current = { date: yesterday(now), startedAt: now.toISOString() };
    const run = runBatch({
      telemetry: this.options.telemetry,
      source: this.options.source,
      date: this.current.date,
      ...(this.options.writeReport ? { writeReport: this.options.writeReport } : {}),
    });
    this.running = run;
    try {
      const exitCode = await run;
      this.last = { ...this.current, finishedAt: this.clock.now().toISOString(), exitCode };
      return exitCode;
    } finally {
      this.running = undefined;
      this.current = undefined;
    }
  }

  /**
   * Stops scheduling. A run in progress gets `graceMs` to finish; after that it is abandoned (the process
   * is about to exit): logged, counted as a BatchFailures datapoint, and left for an operator to re-run.
   */
  async stop(graceMs: number): Promise<StopOutcome> {
    this.stopped = true;
    if (this.handle !== undefined) this.timer.clear(this.handle);
    this.handle = undefined;
    const running = this.running;
    if (!running) return 'idle';
    const finished = await Promise.race([
      running.then(() => true),
      new Promise<false>((resolve) => this.timer.set(() => resolve(false), graceMs)),
    ]);
    if (finished) return 'finished';
    const { logger, metrics } = this.options.telemetry;
    logger.error('run abandoned at shutdown', { ...this.current, graceMs });
    metrics.addMetric('BatchFailures', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();
    return 'abandoned';
  }

  private schedule(): void {
    if (this.stopped) return;
    const now = this.clock.now();
    this.next = nextRunAt(now, this.options.at);
    this.options.telemetry.logger.info('next run scheduled', { at: this.next.toISOString() });
    this.handle = this.timer.set(() => {
      this.handle = undefined;
      void this.runNow().finally(() => this.schedule());
    }, this.next.getTime() - now.getTime());
  }
}
