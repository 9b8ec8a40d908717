import { describe, expect, it } from 'vitest';
import { readPlatformGate } from '../../src/gates/platform-gate';
import type { Platform, TrafficState } from '../../src/platforms/port';

const V1 = { version: '1.0.0', ref: 'td:1' };
const V2 = { version: '2.0.0', ref: 'td:2' };

/** Only current() is read by the gate: a platform that reports `state`. */
function reporting(state: TrafficState): Platform {
  return { workload: 'auth', current: async () => state } as unknown as Platform;
}

describe('the platform gate of an engine-driven step', () => {
  it('passes while traffic is as Tollgate set it', async () => {
    const reading = await readPlatformGate(
      reporting({ stable: V1, canary: V2, canaryWeight: 10 }),
      { revision: V2, weight: 10 },
      5,
    );
    expect(reading).toMatchObject({
      verdict: 'pass',
      metric: 'traffic',
      reason: '1.0.0 at 90%, 2.0.0 at 10%, as set',
    });
  });

  it('fails, saying why, when the platform ended the deployment by itself while the weights still read as set', async () => {
    const state: TrafficState = {
      stable: V1,
      canary: V2,
      canaryWeight: 10,
      deployment: {
        id: 'dep-1',
        revision: V2,
        state: 'stopped',
        stepIndex: 0,
        reason: 'Alarm auth-5xx in ALARM',
      },
    };
    expect(await readPlatformGate(reporting(state), { revision: V2, weight: 10 }, 5)).toMatchObject({
      verdict: 'fail',
      metric: 'deployment dep-1',
      reason: 'the platform stopped it: Alarm auth-5xx in ALARM',
    });
  });

  it('fails on traffic someone else moved, and ignores an ended deployment of another revision', async () => {
    const state: TrafficState = {
      stable: V1,
      canaryWeight: 0,
      deployment: { id: 'dep-0', revision: V1, state: 'failed', stepIndex: 0 },
    };
    expect(await readPlatformGate(reporting(state), { revision: V2, weight: 10 }, 5)).toMatchObject({
      verdict: 'fail',
      metric: 'traffic',
      reason: 'traffic changed outside this release: 1.0.0 at 100%',
    });
  });
});
