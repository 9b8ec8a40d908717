// `npm run demo:memory`: two whole releases of SecureCart's order-processing through the Tollgate engine —
// a healthy version that is promoted, then a slower one that is rolled back — on the simulated
// `memory` backend (its Lambda target's capabilities, synthetic signals, a virtual clock). Prints
// progress and writes both reports.
import { rm } from 'node:fs/promises';
import type { ScenarioName } from '@tollgate/pipelines/backends/memory-scenarios';
import { type DeployOptions, deployCommand } from '@tollgate/pipelines/cli/deploy-command';
import { consoleOutput } from '@tollgate/pipelines/cli/output';
import { DEFAULT_MANIFEST } from '@tollgate/pipelines/targets/load-manifest';

const OUT_DIR = '.tollgate/demo-memory';

const base: Omit<DeployOptions, 'version' | 'scenario'> = {
  policy: 'pipelines/policies/order-processing.yml',
  env: 'production',
  manifest: DEFAULT_MANIFEST,
  backend: 'memory',
  stable: '1',
  seed: 7,
  rps: 100,
  ledger: `${OUT_DIR}/ledger.jsonl`,
  reportDir: `${OUT_DIR}/reports`,
  actor: 'demo',
};

const releases: { version: string; scenario: ScenarioName; expectedExit: number }[] = [
  { version: '2', scenario: 'healthy', expectedExit: 0 },
  { version: '3', scenario: 'slow-canary', expectedExit: 1 },
];

async function main(): Promise<number> {
  await rm(OUT_DIR, { recursive: true, force: true });
  const started = performance.now();
  const outcomes: string[] = [];
  for (const release of releases) {
    console.log(`\n=== release ${release.version} (${release.scenario}) ===`);
    const exit = await deployCommand({ ...base, ...release }, consoleOutput);
    const as =
      exit === release.expectedExit ? 'as expected' : `UNEXPECTED (wanted exit ${release.expectedExit})`;
    outcomes.push(`release ${release.version} (${release.scenario}): exit ${exit}, ${as}`);
    if (exit !== release.expectedExit) process.exitCode = 1;
  }
  console.log(`\n=== outcomes (${((performance.now() - started) / 1000).toFixed(1)} s wall clock) ===`);
  for (const line of outcomes) console.log(line);
  console.log(`ledger: ${base.ledger}  ·  try: npx tollgate status --ledger ${base.ledger}`);
  return Number(process.exitCode ?? 0);
}

await main();
