/** The release was cancelled (SIGINT/SIGTERM, a cancelled job) while waiting on something. */
export class CancelledError extends Error {
  constructor(readonly why: string) {
    super(`release cancelled (${why})`);
    this.name = 'CancelledError';
  }
}

export function cancellationReason(signal: AbortSignal): string {
  return signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? 'aborted');
}

/**
 * Waits for `work`, but gives up the moment `signal` aborts: a cancelled run must not sit on a hung API
 * call. The abandoned call may still finish later; its result is ignored.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new CancelledError(cancellationReason(signal)));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new CancelledError(cancellationReason(signal)));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Rejects with `TimeoutError`-named error when `work` takes longer than `ms` (wall clock). */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new Error(`${what} did not finish within ${Math.round(ms / 1000)} s`);
      error.name = 'TimeoutError';
      reject(error);
    }, ms);
    timer.unref?.();
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
