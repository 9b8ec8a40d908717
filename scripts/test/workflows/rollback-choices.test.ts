import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadReleasedWorkloads } from '../../workflows/released-workloads';
import {
  choicesDrift,
  currentChoices,
  ROLLBACK_WORKFLOW,
  rollbackChoices,
  withRollbackChoices,
} from '../../workflows/rollback-choices';
import { REPOSITORY_ROOT } from '../../workflows/workflow-document';

const text = readFileSync(path.join(REPOSITORY_ROOT, ROLLBACK_WORKFLOW), 'utf8');

describe('rollback.yml choices', () => {
  it('offer exactly the workloads Tollgate releases and the manifest environments', async () => {
    const { manifest, released } = await loadReleasedWorkloads();
    expect(choicesDrift(text, rollbackChoices(manifest, released))).toEqual([]);
    expect(currentChoices(text)).toEqual({
      workload: [
        'auth',
        'checkout',
        'fraud-detection',
        'order-processing',
        'payments',
        'product-search',
        'recommendations',
      ],
      environment: ['production', 'staging'],
    });
  });

  it('name a drift: a workload missing or extra', () => {
    const choices = { workload: ['auth', 'payments'], environment: ['production', 'staging'] };
    const drifted = withRollbackChoices(text, {
      workload: ['auth', 'inventory-sync'],
      environment: ['production', 'staging'],
    });
    expect(choicesDrift(drifted, choices)).toEqual([
      `${ROLLBACK_WORKFLOW} input "workload" offers [auth, inventory-sync], must offer [auth, payments]`,
    ]);
  });

  it('are regenerated in place, the rest of the file (comments included) kept', () => {
    const { workload, environment } = currentChoices(text);
    expect(withRollbackChoices(text, { workload, environment })).toBe(text);
    const fewer = withRollbackChoices(text, { workload: ['payments'], environment });
    expect(fewer).toBe(text.replace(/( {10}- )auth\n[\s\S]*?( {10}- recommendations\n)/, '$1payments\n'));
  });

  it('refuse a workflow without the input', () => {
    expect(() =>
      withRollbackChoices('on:\n  workflow_dispatch: {}\n', { workload: [], environment: [] }),
    ).toThrow(`${ROLLBACK_WORKFLOW}: no workflow_dispatch input "workload"`);
  });
});
