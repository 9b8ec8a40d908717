import { describe, expect, it } from 'vitest';
import {
  actOut,
  INJECTED_FAULTS_VARIABLE,
  InjectedFaultError,
  injectedFaults,
  refuseToStartIfTold,
} from '../injected-faults';

const env = (faults: unknown) => ({ [INJECTED_FAULTS_VARIABLE]: JSON.stringify(faults) });

describe('injected faults (set only by the local cloud)', () => {
  it('are none when the variable is unset, and do nothing', async () => {
    expect(injectedFaults({})).toBeUndefined();
    await expect(actOut(undefined)).resolves.toBeUndefined();
    expect(() => refuseToStartIfTold(undefined)).not.toThrow();
  });

  it('delay a request by the added latency, plus the tail for the tail share', async () => {
    const faults = injectedFaults(env({ addedLatencyMs: 30, tailShare: 0.5, tailLatencyMs: 40 }));
    let started = performance.now();
    await actOut(faults, () => 0.9);
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    expect(performance.now() - started).toBeLessThan(60);
    started = performance.now();
    await actOut(faults, () => 0.1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(69);
  });

  it('fail a request at the error rate, and refuse to start when told to crash', async () => {
    const faults = injectedFaults(env({ errorRate: 0.25, crashOnStart: true }));
    await expect(actOut(faults, () => 0.2)).rejects.toBeInstanceOf(InjectedFaultError);
    await expect(actOut(faults, () => 0.3)).resolves.toBeUndefined();
    expect(() => refuseToStartIfTold(faults)).toThrow(
      `${INJECTED_FAULTS_VARIABLE}: this version crashes on start`,
    );
  });

  it('refuse a malformed value, naming the variable', () => {
    expect(() => injectedFaults({ [INJECTED_FAULTS_VARIABLE]: '{nope' })).toThrow(
      `${INJECTED_FAULTS_VARIABLE} is not JSON: {nope`,
    );
    expect(() => injectedFaults(env([1]))).toThrow(
      `${INJECTED_FAULTS_VARIABLE} must be a JSON object, not [1]`,
    );
    expect(() => injectedFaults(env({ errorRate: 2 }))).toThrow(
      `${INJECTED_FAULTS_VARIABLE}: shares are from 0 to 1, not 2`,
    );
  });
});
