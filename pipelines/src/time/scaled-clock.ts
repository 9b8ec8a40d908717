import { type Clock, systemClock } from './clock';

/** Where a scaled clock's time starts and how fast it runs: enough for another process to keep the same time. */
export interface TimeScale {
  /** Cloud time (ms since the epoch) at `realOrigin`. */
  cloudOrigin: number;
  /** Wall-clock time (ms since the epoch) the scale started at. */
  realOrigin: number;
  /** Cloud milliseconds per real millisecond: 60 plays a 5-minute bake in 5 seconds. */
  scale: number;
}

/**
 * Time that runs `scale` times faster than the wall clock, from one origin shared by every process that
 * must agree on it (the local cloud, the workloads it runs, the engine releasing them). Durations measured
 * inside a request (latencies) stay real; only the time between events is compressed.
 */
export class ScaledClock implements Clock {
  constructor(
    readonly timeScale: TimeScale,
    private readonly real: Clock = systemClock,
  ) {
    if (!(timeScale.scale > 0) || !Number.isFinite(timeScale.scale)) {
      throw new RangeError(`a time scale must be a positive number, not ${timeScale.scale}`);
    }
  }

  now(): number {
    return this.toCloudTime(this.real.now());
  }

  /** The cloud time of a wall-clock instant (a timestamp a workload wrote with Date.now()). */
  toCloudTime(realEpochMs: number): number {
    const { cloudOrigin, realOrigin, scale } = this.timeScale;
    return Math.round(cloudOrigin + (realEpochMs - realOrigin) * scale);
  }

  /** Sleeps `ms` of cloud time: `ms / scale` real milliseconds. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return this.real.sleep(Math.max(0, ms) / this.timeScale.scale, signal);
  }
}
