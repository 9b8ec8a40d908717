import { fileURLToPath } from 'node:url';
import { loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../src/local-cloud';
import { adapterOperations, keyOf, SIGNING_NAMES, type WireOperation } from './adapter-operations';
import { modelOperations, type ProbeAnswer, probeOperations } from './wire-probe';

const MANIFEST = fileURLToPath(new URL('../../../aws/release-manifest.json', import.meta.url));

/**
 * The adapters' published permission lists are the contract: every operation they send must answer on the
 * assembled cloud's endpoint, so an adapter that starts sending a new call fails here until the local
 * cloud serves it.
 */
describe('the operations the assembled local cloud serves', () => {
  let cloud: LocalCloud;
  /** Every operation every served SDK declares, probed once through the wire. */
  let answers: Map<string, ProbeAnswer>;
  const adapters = adapterOperations();

  beforeAll(async () => {
    // Which services are served does not depend on `only`; one Lambda environment keeps the start short.
    cloud = await startLocalCloud({
      manifest: await loadManifestFile(MANIFEST),
      only: [{ workload: 'payments', environment: 'staging' }],
    });
    const everyOperation = [...new Set(Object.values(SIGNING_NAMES))].flatMap(modelOperations);
    answers = await probeOperations(cloud.endpoint, everyOperation);
  }, 60_000);
  afterAll(() => cloud?.close());

  const served = (operation: WireOperation | undefined) =>
    operation !== undefined && answers.get(keyOf(operation))?.served === true;

  it('knows the local service of every action the permission lists publish', () => {
    expect(
      adapters.unmapped,
      `these actions name an AWS service the local cloud has no signing name for; map their prefix in adapter-operations.ts (and serve the service): ${adapters.unmapped.join(', ')}`,
    ).toEqual([]);
  });

  it('serves every operation an adapter or gate sends', () => {
    const missing = [...adapters.sent.values()]
      .filter((operation) => !served(operation))
      .map((o) => `${o.operation} (${o.actions.join(', ')}, answered ${answerOf(o)})`);
    expect(
      missing,
      `the local cloud does not serve ${missing.length} operation(s) the adapters send: ${missing.join('; ')}; give the service's ServiceDefinition a handler for each`,
    ).toEqual([]);
    const servicesUsed = new Set([...adapters.sent.values()].map((o) => o.signingName));
    expect([...servicesUsed].sort()).toEqual([...new Set(Object.values(SIGNING_NAMES))].sort());
  });

  it('serves the operation each authorization-only action is checked on', () => {
    const missing = adapters.checkedOn
      .filter(({ on }) => !served(on))
      .map(({ action, checkedOn }) => `${checkedOn} (which IAM checks ${action} on)`);
    expect(
      missing,
      `authorization-only actions are checked on operations the local cloud does not serve: ${missing.join('; ')}`,
    ).toEqual([]);
    expect(adapters.checkedOn.map(({ action }) => action)).toContain('iam:PassRole');
  });

  it('tells served from unserved through the wire exactly as the signal services define their handlers', () => {
    for (const definition of cloud.signals.definitions) {
      const probed = modelOperations(definition.signingName)
        .filter(served)
        .map((o) => o.operation)
        .sort();
      expect(probed, definition.sdkPackage).toEqual(Object.keys(definition.operations).sort());
    }
  });

  function answerOf(operation: WireOperation): string {
    return answers.get(keyOf(operation))?.answer ?? 'not probed: its SDK package declares no such operation';
  }
});
