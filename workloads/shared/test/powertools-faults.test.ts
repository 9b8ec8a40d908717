import { fakeLambdaContext } from '@securecart/testing/lambda-context';
import { describe, expect, it, vi } from 'vitest';
import { InjectedFaultError } from '../injected-faults';
import { createLambdaObservability, instrumentHandler } from '../powertools';

vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

describe('instrumentHandler with injected faults (the local cloud only)', () => {
  it('delays and fails the invocation inside the handler wrapper', async () => {
    process.env.SECURECART_INJECTED_FAULTS = JSON.stringify({ addedLatencyMs: 30, errorRate: 1 });
    const handler = instrumentHandler(createLambdaObservability('payments'), async () => 'paid');
    delete process.env.SECURECART_INJECTED_FAULTS;
    const started = performance.now();
    await expect(handler({}, fakeLambdaContext('payments'))).rejects.toBeInstanceOf(InjectedFaultError);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
  });

  it('runs the handler untouched when none are set', async () => {
    const handler = instrumentHandler(createLambdaObservability('payments'), async () => 'paid');
    await expect(handler({}, fakeLambdaContext('payments'))).resolves.toBe('paid');
  });
});
