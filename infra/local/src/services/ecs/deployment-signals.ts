import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';

/** A deployment was told to stop going forward (a rollback, an alarm, a hook's timeout), and why. */
export class Interrupted extends Error {}

/** The local cloud is closing: the deployment stops wherever it is. */
export class ShutDown extends Error {}

/**
 * How a deployment running on cloud time waits: for a duration, or until something it waits for happens
 * (a hook answered), and is woken at once when someone interrupts it. Every wait is a `clock.sleep`.
 */
export class DeploymentSignals {
  private wake = new AbortController();
  private reason?: string;
  private down = false;

  constructor(private readonly clock: ScaledClock) {}

  get interruption(): string | undefined {
    return this.reason;
  }

  /** Stops the deployment's forward path at its next wait; the first reason counts. */
  interrupt(reason: string): void {
    this.reason ??= reason;
    this.notify();
  }

  /** Ends every wait at once with ShutDown. */
  shutdown(): void {
    this.down = true;
    this.notify();
  }

  /** Waits `ms` of cloud time whatever else happens, unless the cloud shuts down. */
  async hold(ms: number): Promise<void> {
    const until = this.clock.now() + ms;
    for (;;) {
      if (this.down) throw new ShutDown('the local cloud is closing');
      const left = until - this.clock.now();
      if (left <= 0) return;
      await this.clock.sleep(left, this.wake.signal);
    }
  }

  /** Something a waiter may wait for changed: every current wait looks again. */
  notify(): void {
    this.wake.abort();
    this.wake = new AbortController();
  }

  /** Waits `ms` of cloud time; throws Interrupted if interrupted meanwhile. */
  async wait(ms: number): Promise<void> {
    await this.waitFor(this.clock.now() + ms, () => false);
  }

  /**
   * Waits until `ready()` or the cloud-time `deadline`, whichever is first; true when ready. Throws
   * Interrupted if interrupted first.
   */
  async waitFor(deadline: number, ready: () => boolean): Promise<boolean> {
    for (;;) {
      this.check();
      if (ready()) return true;
      const left = deadline - this.clock.now();
      if (left <= 0) return false;
      await this.clock.sleep(left, this.wake.signal);
    }
  }

  /** Throws Interrupted if the deployment was interrupted. */
  check(): void {
    if (this.down) throw new ShutDown('the local cloud is closing');
    if (this.reason !== undefined) throw new Interrupted(this.reason);
  }

  /** Resolves with `work`, or throws Interrupted as soon as the deployment is interrupted. */
  async race<T>(work: Promise<T>): Promise<T> {
    this.check();
    let settled = false;
    const watched = work.finally(() => {
      settled = true;
      this.notify();
    });
    for (;;) {
      const wake = this.wake.signal;
      const woken = new Promise<void>((resolve) => wake.addEventListener('abort', () => resolve()));
      const result = await Promise.race([watched.then((value) => ({ value })), woken.then(() => undefined)]);
      if (result) return result.value;
      if (!settled) this.check();
    }
  }
}
