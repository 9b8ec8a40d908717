/**
 * SIGINT/SIGTERM (a cancelled job) abort the release, which then stops whatever it waits on and rolls
 * back. A second signal means "now": the process exits at once and says traffic may be split.
 */
export function cancelOnSignals(onForce: (message: string) => void): {
  signal: AbortSignal;
  dispose: () => void;
} {
  const controller = new AbortController();
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = () => {
      if (!controller.signal.aborted) {
        controller.abort(new Error(`received ${name}`));
        return;
      }
      onForce(
        `tollgate: received ${name} again: exiting without waiting for the rollback; traffic may still be split. Run the deploy again (it reconciles first).`,
      );
      process.exit(130);
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  const dispose = () => {
    for (const [name, handler] of handlers) process.off(name, handler);
  };
  return { signal: controller.signal, dispose };
}
