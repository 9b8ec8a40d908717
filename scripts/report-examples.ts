// `npm run report-examples`: renders the reports a release manager reads for two simulated releases of
// SecureCart's order-processing (its production target from the release manifest, on the `memory`
// backend, seeded, under a virtual clock) into docs/report-examples/: one promoted, one rolled back
// at its second step by a p99 regression that starts with that step. Deterministic: rerunning it
// rewrites the same files.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openMemoryBackend } from '@tollgate/pipelines/backends/memory-backend';
import { STABLE_PROFILE } from '@tollgate/pipelines/backends/memory-scenarios';
import { environmentOf, parsePolicy } from '@tollgate/pipelines/policy/load-policy';
import type { ReleaseEvent } from '@tollgate/pipelines/record/events';
import type { ReleaseRecord } from '@tollgate/pipelines/record/record';
import { runRelease } from '@tollgate/pipelines/release/run-release';
import { htmlReport } from '@tollgate/pipelines/report/html-report';
import { markdownReport } from '@tollgate/pipelines/report/markdown-report';
import { reportContext } from '@tollgate/pipelines/report/report-context';
import { DEFAULT_MANIFEST, loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';

const OUT_DIR = 'docs/report-examples';

/**
 * order-processing's production gates (pipelines/policies/order-processing.yml) with a two-step plan,
 * so the charts show a step boundary.
 */
const POLICY = `workload: order-processing
platform: lambda
environments:
  production:
    strategy: { steps: [{ weight: 10, bake: 5m }, { weight: 50, bake: 5m }] }
    gates:
      alarms:
        - securecart-production-order-processing-errors
        - securecart-production-order-processing-p99-latency
      latency: { p50Increase: 10%, p99Increase: 25% }
      errors: { maxRateIncrease: 0.5% }
      minSamples: 200
      pollInterval: 30s
      maxBake: 10m
      onInconclusive: rollback
`;

/** The new version's tail grows once it takes half the traffic: its median stays, its p99 is ~60% slower. */
const SLOW_TAIL = { ...STABLE_PROFILE, sigma: 0.7 };

async function release(slowAtStep2: boolean): Promise<ReleaseRecord> {
  const manifest = await loadManifestFile(DEFAULT_MANIFEST);
  const environment = environmentOf(parsePolicy(POLICY, 'report-examples.yml', manifest), 'production');
  const workload = 'order-processing';
  const session = await openMemoryBackend(
    { workload, environment, version: 'v42' },
    {
      scenario: 'healthy',
      seed: 11,
      requestsPerSecond: 100,
      initialStable: 'v41',
      startAt: Date.parse('2026-03-02T10:00:00Z'),
    },
  );
  const onEvent = (event: ReleaseEvent) => {
    if (slowAtStep2 && event.type === 'shift' && event.step === 1) {
      session.memory.traces.setProfile('v42', SLOW_TAIL);
    }
  };
  const request = { workload, environment, version: 'v42', actor: 'maria.lopez' };
  const deps = {
    platform: session.platform,
    signals: session.signals,
    clock: session.clock,
    ledger: session.ledger,
    backend: session.name,
    onEvent,
  };
  const { record } = await runRelease(request, deps);
  await session.close();
  return record;
}

async function main(): Promise<void> {
  await mkdir(OUT_DIR, { recursive: true });
  const manifest = await loadManifestFile(DEFAULT_MANIFEST);
  const context = reportContext(
    environmentOf(parsePolicy(POLICY, 'report-examples.yml', manifest), 'production'),
  );
  for (const [name, slow, expected] of [
    ['promoted', false, 'promoted'],
    ['rolled-back', true, 'rolled-back'],
  ] as const) {
    const record = await release(slow);
    if (record.outcome !== expected)
      throw new Error(`the ${name} example ended ${record.outcome}: ${record.reason}`);
    await writeFile(join(OUT_DIR, `${name}.md`), markdownReport(record, context), 'utf8');
    await writeFile(join(OUT_DIR, `${name}.html`), htmlReport(record, context), 'utf8');
    console.log(
      `${name}: ${record.outcome} (${record.reason.slice(0, 100)}…) → ${OUT_DIR}/${name}.{md,html}`,
    );
  }
}

await main();
