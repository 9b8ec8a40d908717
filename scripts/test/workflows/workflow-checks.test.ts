import { describe, expect, it } from 'vitest';
import { localActionsBeforeBundle } from '../../workflows/checks/bundled-before-use';
import { persistedCheckoutCredentials } from '../../workflows/checks/checkout-credentials';
import { localActionInputProblems } from '../../workflows/checks/local-action-inputs';
import { topLevelWritePermissions, unneededWritePermissions } from '../../workflows/checks/permissions';
import { unpinnedActions } from '../../workflows/checks/pinned-actions';
import { unsafeReleaseConcurrency } from '../../workflows/checks/release-concurrency';
import { expressionsInRun } from '../../workflows/checks/run-expressions';
import { WORKFLOW_CHECKS } from '../../workflows/workflow-checks';
import { loadWorkflows, REPOSITORY_ROOT, workflowDocument } from '../../workflows/workflow-document';

const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1';

/** A workflow of one job `j` with these steps (YAML lines under `steps:`, indented by six). */
function oneJob(
  steps: string[],
  job: string[] = [],
  top = 'permissions: {}',
): ReturnType<typeof workflowDocument> {
  const lines = [
    top,
    'on: push',
    'jobs:',
    '  j:',
    '    runs-on: ubuntu-latest',
    ...job,
    '    steps:',
    ...steps,
  ];
  return workflowDocument('bad.yml', `${lines.join('\n')}\n`);
}

describe("the repository's workflows", () => {
  const workflows = loadWorkflows();
  const context = {
    workflows: new Map(workflows.map((workflow) => [workflow.file, workflow])),
    root: REPOSITORY_ROOT,
  };

  it.each(Object.entries(WORKFLOW_CHECKS))('%s', (_name, check) => {
    expect(workflows.flatMap((workflow) => check(workflow, context))).toEqual([]);
  });
});

describe('unpinnedActions', () => {
  it('refuses a tag, a branch and a short SHA, and a pinned action without its release comment', () => {
    const workflow = oneJob([
      '      - uses: actions/checkout@v4',
      '      - uses: actions/setup-node@main # v7.0.0',
      '      - uses: aws-actions/amazon-ecr-login@03f1aad # v2.1.7',
      '      - uses: actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f',
      '      - uses: docker://alpine:3.20',
      '      - uses: ./actions/test',
      `      - uses: ${CHECKOUT}`,
    ]);
    expect(unpinnedActions(workflow)).toEqual([
      'bad.yml jobs.j.steps[0]: actions/checkout@v4 is not pinned to a full commit SHA (40 hex digits)',
      'bad.yml jobs.j.steps[1]: actions/setup-node@main is not pinned to a full commit SHA (40 hex digits)',
      'bad.yml jobs.j.steps[2]: aws-actions/amazon-ecr-login@03f1aad is not pinned to a full commit SHA (40 hex digits)',
      'bad.yml jobs.j.steps[4]: docker://alpine:3.20 is not pinned to an image digest',
      'bad.yml line 7: actions/checkout@v4 has no "# vX.Y.Z" comment naming its release',
      'bad.yml line 10: actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f has no "# vX.Y.Z" comment naming its release',
    ]);
  });

  it('checks a reusable workflow of another repository too', () => {
    const workflow = workflowDocument(
      'bad.yml',
      'on: push\njobs:\n  j:\n    uses: octo/repo/.github/workflows/x.yml@v1\n',
    );
    expect(unpinnedActions(workflow)).toEqual([
      'bad.yml jobs.j: octo/repo/.github/workflows/x.yml@v1 is not pinned to a full commit SHA (40 hex digits)',
      'bad.yml line 4: octo/repo/.github/workflows/x.yml@v1 has no "# vX.Y.Z" comment naming its release',
    ]);
  });
});

describe('topLevelWritePermissions', () => {
  it.each([
    ['contents: write', ['bad.yml: top-level permissions grant contents: write']],
    ['write-all', ['bad.yml: top-level permissions grant write-all']],
    ['', ['bad.yml: no top-level permissions; set permissions: {} or read-only scopes']],
  ])('refuses %j', (grant, findings) => {
    const top = grant.includes(':') ? `permissions:\n  ${grant}` : grant ? `permissions: ${grant}` : '';
    expect(topLevelWritePermissions(oneJob(['      - run: echo'], [], top))).toEqual(findings);
  });

  it('accepts none and read-only scopes', () => {
    expect(topLevelWritePermissions(oneJob(['      - run: echo']))).toEqual([]);
    expect(
      topLevelWritePermissions(oneJob(['      - run: echo'], [], 'permissions:\n  contents: read')),
    ).toEqual([]);
    expect(topLevelWritePermissions(oneJob(['      - run: echo'], [], 'permissions: read-all'))).toEqual([]);
  });
});

describe('unneededWritePermissions', () => {
  const grants = ['    permissions:', '      id-token: write', '      deployments: write'];

  it('refuses id-token and deployments on a job that neither assumes a role nor records a deployment', () => {
    expect(unneededWritePermissions(oneJob(['      - run: npm test'], grants), new Map())).toEqual([
      'bad.yml jobs.j: id-token: write but no step uses aws-actions/configure-aws-credentials',
      'bad.yml jobs.j: deployments: write but no step uses ./actions/deploy or ./actions/rollback',
    ]);
  });

  it('refuses write-all on a job', () => {
    expect(
      unneededWritePermissions(oneJob(['      - run: echo'], ['    permissions: write-all']), new Map()),
    ).toEqual(['bad.yml jobs.j: permissions write-all']);
  });

  it('accepts them where the steps use them, and on a call of a workflow whose jobs do', () => {
    const steps = [
      '      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3',
      '      - uses: ./actions/deploy',
    ];
    const called = oneJob(steps, grants);
    expect(unneededWritePermissions(called, new Map())).toEqual([]);
    const caller = workflowDocument(
      'caller.yml',
      `on: push\njobs:\n  c:\n${grants.join('\n')}\n    uses: ./.github/workflows/called.yml\n`,
    );
    expect(unneededWritePermissions(caller, new Map([['called.yml', called]]))).toEqual([]);
    expect(
      unneededWritePermissions(caller, new Map([['called.yml', oneJob(['      - run: echo'])]])),
    ).toEqual([
      'caller.yml jobs.c: id-token: write but no step uses aws-actions/configure-aws-credentials',
      'caller.yml jobs.c: deployments: write but no step uses ./actions/deploy or ./actions/rollback',
    ]);
  });
});

describe('expressionsInRun', () => {
  it('refuses an expression pasted into a script, and accepts it in env', () => {
    const workflow = oneJob([
      `      - run: echo "\${{ github.head_ref }}"`,
      '      - env:',
      `          REF: \${{ github.head_ref }}`,
      '        run: echo "$REF"',
    ]);
    expect(expressionsInRun(workflow)).toEqual([
      `bad.yml jobs.j.steps[0]: run: contains a \${{ }} expression; pass the value through env:`,
    ]);
  });
});

describe('persistedCheckoutCredentials', () => {
  it('refuses a checkout that keeps the token in .git/config', () => {
    const workflow = oneJob([
      `      - uses: ${CHECKOUT}`,
      `      - uses: ${CHECKOUT}`,
      '        with:',
      '          persist-credentials: true',
      `      - uses: ${CHECKOUT}`,
      '        with:',
      '          persist-credentials: false',
    ]);
    expect(persistedCheckoutCredentials(workflow)).toEqual([
      'bad.yml jobs.j.steps[0]: actions/checkout without persist-credentials: false',
      'bad.yml jobs.j.steps[1]: actions/checkout without persist-credentials: false',
    ]);
  });
});

describe('localActionInputProblems', () => {
  it('refuses an undeclared input, a missing required one and an action that does not exist', () => {
    const workflow = oneJob([
      '      - uses: ./actions/rollback',
      '        with:',
      '          workload: payments',
      '          environment: staging',
      '          version: 1.2.0',
      '      - uses: ./actions/nothing-here',
    ]);
    expect(localActionInputProblems(workflow)).toEqual([
      'bad.yml jobs.j.steps[0]: actions/rollback declares no input "version" (it takes workload, environment, reason, to-version, policy, manifest, backend, ledger, ledger-file, github-token, report-dir)',
      'bad.yml jobs.j.steps[0]: actions/rollback requires input "reason"',
      'bad.yml jobs.j.steps[1]: ./actions/nothing-here has no action.yml',
    ]);
  });
});

describe('localActionsBeforeBundle', () => {
  it('refuses a local action before npm ci and npm run bundle, and a bundle before the install', () => {
    expect(localActionsBeforeBundle(oneJob(['      - run: npm ci', '      - uses: ./actions/test']))).toEqual(
      ['bad.yml jobs.j.steps[1]: ./actions/test before npm ci and npm run bundle in the job'],
    );
    const bundleFirst = oneJob([
      '      - run: npm run bundle',
      '      - run: npm ci',
      '      - uses: ./actions/test',
    ]);
    expect(localActionsBeforeBundle(bundleFirst)).toEqual([
      'bad.yml jobs.j.steps[2]: ./actions/test before npm ci and npm run bundle in the job',
    ]);
    const good = oneJob([
      '      - run: npm ci',
      '      - run: npm run bundle',
      '      - uses: ./actions/test',
    ]);
    expect(localActionsBeforeBundle(good)).toEqual([]);
  });
});

describe('unsafeReleaseConcurrency', () => {
  const deploy = ['      - uses: ./actions/deploy'];
  const job = (concurrency: string[]) => ['    environment: production', ...concurrency];

  it.each([
    [[], 'no concurrency group'],
    [['    concurrency: release'], 'no concurrency group'],
    [
      ['    concurrency:', `      group: release-\${{ inputs.workload }}-production`],
      'concurrency without cancel-in-progress: false',
    ],
    [
      [
        '    concurrency:',
        `      group: release-\${{ inputs.workload }}-production`,
        '      cancel-in-progress: true',
      ],
      'concurrency without cancel-in-progress: false',
    ],
    [
      ['    concurrency:', '      group: release-production', '      cancel-in-progress: false'],
      'concurrency group "release-production" names no workload',
    ],
    [
      ['    concurrency:', `      group: release-\${{ inputs.workload }}`, '      cancel-in-progress: false'],
      `concurrency group "release-\${{ inputs.workload }}" does not name the job's environment (production)`,
    ],
  ])('refuses a deploy job with %j', (concurrency, problem) => {
    expect(unsafeReleaseConcurrency(oneJob(deploy, job(concurrency)))).toEqual([
      `bad.yml jobs.j: ${problem}`,
    ]);
  });

  it('refuses a workflow-level concurrency that cancels, and accepts a group per workload and environment', () => {
    const safe = job([
      '    concurrency:',
      `      group: release-\${{ inputs.workload }}-production`,
      '      cancel-in-progress: false',
    ]);
    expect(unsafeReleaseConcurrency(oneJob(deploy, safe))).toEqual([]);
    const cancelling = oneJob(
      deploy,
      safe,
      'permissions: {}\nconcurrency:\n  group: all\n  cancel-in-progress: true',
    );
    expect(unsafeReleaseConcurrency(cancelling)).toEqual([
      'bad.yml: top-level concurrency may cancel a release in progress',
    ]);
  });
});
