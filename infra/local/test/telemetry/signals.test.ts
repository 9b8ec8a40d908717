import { readFileSync } from 'node:fs';
import { parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { describe, expect, it, onTestFinished } from 'vitest';
import { emptyFaultPlan } from '../../src/faults/fault-plan';
import { createSignals } from '../../src/signals';

/** The checked-in manifest, whose targets carry their `alarmRules`. */
function manifest() {
  return parseReleaseManifest(
    JSON.parse(readFileSync(new URL('../../../aws/release-manifest.json', import.meta.url), 'utf8')),
  );
}

describe('createSignals', () => {
  it('provisions alarms from the manifest, starts the daemon and evaluates each cloud minute', async () => {
    const clock = new ScaledClock({ cloudOrigin: Date.now(), realOrigin: Date.now(), scale: 600 });
    const signals = await createSignals({
      clock,
      faults: emptyFaultPlan(),
      manifest: manifest(),
      transactionSearch: true,
    });
    onTestFinished(() => signals.close());
    expect(signals.definitions.map((d) => d.signingName)).toEqual(['monitoring', 'xray', 'logs']);
    expect(signals.daemonAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(signals.otlpPath).toBe('/v1/traces');
    expect(signals.alarmsWithoutRules).toEqual([]);
    const names = Object.values(manifest().workloads).flatMap((w) =>
      Object.values(w.environments).flatMap((t) => t.alarms),
    );
    expect(
      signals.cloudwatch.alarms
        .all()
        .map((a) => a.rule.AlarmName)
        .sort(),
    ).toEqual([...names].sort());
    const alarm = signals.cloudwatch.alarms.get('securecart-staging-checkout-5xx');
    expect(alarm?.account).toBe('111111111111');
    expect(alarm?.state).toBe('INSUFFICIENT_DATA');
    const now = Date.now();
    // Two consecutive cloud minutes (100 real ms each at 600×): 2 of 3 breaching datapoints.
    for (let i = 0; i < 2; i += 1) {
      signals.sink.metric({
        namespace: 'AWS/ApplicationELB',
        name: 'HTTPCode_ELB_5XX_Count',
        dimensions: { LoadBalancer: 'app/sc-stg-checkout/local' },
        value: 10,
        realEpochMs: now + 100 * i,
      });
    }
    // The loop evaluates each cloud minute; ALARM holds while both minutes are in the evaluation range.
    for (let i = 0; i < 300 && alarm?.state !== 'ALARM'; i += 1) await new Promise((r) => setTimeout(r, 10));
    expect(alarm?.state).toBe('ALARM');
  });
});
