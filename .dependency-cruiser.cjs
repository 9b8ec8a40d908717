/**
 * The import rules of docs/architecture.md, checked by `npm test` (`npm run imports`). Imports flow one
 * way: actions → pipelines (cli → backends → release → gates/policy/… → platforms/signals → leaves).
 * Each folder of pipelines/src may import only the folders listed for it below; adding an import that
 * runs against the flow fails the build, and the fix is to move code, not to widen the table.
 */

/** pipelines/src/<folder> → the pipelines/src folders it may import (besides itself). */
const ENGINE_LAYERS = {
  time: [],
  errors: [],
  random: [],
  judge: [],
  versioning: ['policy'],
  aws: ['errors'],
  artifacts: ['aws'],
  plan: ['time'],
  targets: ['plan', 'errors'],
  signals: ['random', 'aws', 'time', 'errors'],
  platforms: ['plan', 'targets', 'aws', 'time', 'errors'],
  record: ['judge', 'plan', 'platforms', 'targets'],
  policy: ['plan', 'targets', 'time', 'errors'],
  inputs: ['platforms', 'targets', 'errors'],
  gates: ['judge', 'signals', 'platforms', 'policy', 'record', 'time', 'errors'],
  ledger: ['record', 'errors'],
  report: ['record', 'judge', 'time'],
  release: [
    'gates',
    'judge',
    'ledger',
    'plan',
    'platforms',
    'policy',
    'record',
    'signals',
    'targets',
    'time',
    'errors',
  ],
  backends: ['aws', 'ledger', 'platforms', 'policy', 'record', 'signals', 'targets', 'time', 'errors'],
  cli: [
    'backends',
    'errors',
    'inputs',
    'ledger',
    'plan',
    'policy',
    'record',
    'release',
    'report',
    'targets',
    'time',
  ],
};

const SRC = '^pipelines/src/';

const layerRules = Object.entries(ENGINE_LAYERS).map(([folder, allowed]) => ({
  name: `engine-layer-${folder}`,
  comment: `pipelines/src/${folder} may import only ${allowed.length ? allowed.join(', ') : 'itself'} (docs/architecture.md)`,
  severity: 'error',
  from: { path: `${SRC}${folder}/` },
  to: { path: SRC, pathNot: `${SRC}(${[folder, ...allowed].join('|')})/` },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A cycle means two modules are one concept or one is in the wrong place.',
      severity: 'error',
      from: { path: '^(pipelines|infra|workloads|scripts|actions)/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'engine-folders-known',
      comment: 'Every pipelines/src folder has a place in the layer table above.',
      severity: 'error',
      from: { path: SRC },
      to: { path: `${SRC}(?!(${Object.keys(ENGINE_LAYERS).join('|')})/|cli\\.ts$)` },
    },
    {
      name: 'pure-core-imports-no-sdk',
      comment: 'The engine core is pure: SDKs live in the adapters (platforms, signals, aws) and backends.',
      severity: 'error',
      from: { path: `${SRC}(judge|plan|gates|release|policy|record|report)/` },
      to: { path: 'node_modules/(@aws-sdk|@smithy|@kubernetes|@actions)/' },
    },
    {
      name: 'engine-has-no-github',
      comment: 'Only the GitHub Deployments ledger adapter may know GitHub.',
      severity: 'error',
      from: { path: SRC, pathNot: `${SRC}ledger/github` },
      to: { path: 'node_modules/@actions/' },
    },
    {
      name: 'engine-stands-alone',
      comment:
        'The engine knows no workload, infra, action or script; they depend on it. (infra/api-model, the AWS API ' +
        "models the SDK publishes, is test tooling the adapters' tests share with the local cloud.)",
      severity: 'error',
      from: { path: '^pipelines/' },
      to: { path: '^(workloads|infra/(?!api-model/)|actions|scripts)' },
    },
    {
      name: 'workloads-know-no-tooling',
      comment: 'SecureCart services run without Tollgate or their infra.',
      severity: 'error',
      from: { path: '^workloads/' },
      to: { path: '^(pipelines|infra|actions|scripts)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|cdk\\.out)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.base.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
      extensions: ['.ts', '.js', '.mjs', '.json'],
    },
    preserveSymlinks: false,
  },
};
