/**
 * Generate docs/platforms.md (how each release method moves traffic, and what its deploy role needs) from
 * the capability and permission tables the engine itself uses.
 *
 *   npx tsx scripts/platform-docs.ts          # write
 *   npx tsx scripts/platform-docs.ts --check  # exit 1 if the committed doc drifted
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Permission } from '@tollgate/pipelines/aws/permission';
import { METHOD_PERMISSIONS, SIGNAL_PERMISSIONS } from '@tollgate/pipelines/backends/aws-permissions';
import { KUBERNETES_ACCESS } from '@tollgate/pipelines/platforms/eks/permissions';
import {
  type Capabilities,
  describeCapabilities,
  NOT_RELEASABLE,
  type ReleaseMethodId,
  releaseMethods,
} from '@tollgate/pipelines/targets/capabilities';
import { parseReleaseManifest, type ReleaseManifest } from '@tollgate/pipelines/targets/manifest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MANIFEST_PATH = path.join(ROOT, 'infra', 'aws', 'release-manifest.json');
export const DOC_PATH = path.join(ROOT, 'docs', 'platforms.md');

/** What the tables do not say: how each adapter stages a release and how its traces name it. */
const HOW: Record<ReleaseMethodId, { title: string; stages: string; identity: string }> = {
  'lambda-alias': {
    title: 'AWS Lambda, alias weights set by Tollgate',
    stages:
      "sets `RELEASE_VERSION` on `$LATEST` (the rest of its environment kept), uploads the code (`--artifact zip:`, `s3://` or `image:`), waits for each update, and publishes a version only if `$LATEST` is still what Tollgate left (`RevisionId`); a version already published for the release is reused. Each step writes the alias's `AdditionalVersionWeights` with the alias `RevisionId`, so a concurrent change is refused, not overwritten.",
    identity:
      'the published version freezes `RELEASE_VERSION`, which the function puts on its traces (annotation `release`), logs and metrics.',
  },
  'lambda-codedeploy': {
    title: 'AWS Lambda, alias shifted by CodeDeploy',
    stages:
      "stages the version as `lambda-alias` does, then `CreateDeployment` with an AppSpec moving the alias from the stable version to it, under the configuration the policy names (or the predefined one of the same shape, or `Tollgate.<shape>`, created once). A rollback stops the deployment with CodeDeploy's rollback; if the alias is not back within 60 s, Tollgate reroutes it itself.",
    identity: 'as `lambda-alias`.',
  },
  'ecs-native': {
    title: "Amazon ECS, the service's own canary or linear deployment, paused by Tollgate",
    stages:
      "registers a task-definition revision copied from the live one with only the image, `RELEASE_VERSION` and the `tollgate:release` tag changed, then `UpdateService` with ECS's own step bake set to 0 and a `PAUSE` hook before every production traffic shift; each step is `ContinueServiceDeployment` once judged. A rollback answers the pause with `ROLLBACK` (or stops the deployment). The infra declares the same hook (infra/aws README).",
    identity: "the container's `RELEASE_VERSION` in the revision.",
  },
  'ecs-codedeploy': {
    title: 'Amazon ECS, blue/green by CodeDeploy',
    stages:
      "registers the revision as `ecs-native` does, then `CreateDeployment` with the ECS AppSpec (task definition, container, port) under the policy's configuration. A rollback stops the deployment with CodeDeploy's rollback; after a finished deployment, the old revision is deployed again with `CodeDeployDefault.ECSAllAtOnce`.",
    identity: "the container's `RELEASE_VERSION` in the revision.",
  },
  'eks-ingress': {
    title: 'Amazon EKS, stable and canary Deployments weighted by the ALB Ingress',
    stages:
      "patches the canary Deployment (image, the `tollgate.dev/release` annotation on it and its pod template, replicas in proportion to the weight), waits until its pods are ready, then merge-patches the Ingress's weighted-forward annotation with its `resourceVersion`. Promote rolls the stable Deployment out to the image, sets the weights to 100/0 and scales the canary to zero. Cluster access: `KUBECONFIG` if set, else `DescribeCluster` and an STS-presigned token (a GetCallerIdentity request that EKS sends and STS allows every caller: no grant needed, but it must not be denied).",
    identity: "pods read the pod template's `tollgate.dev/release` into `RELEASE_VERSION` (downward API).",
  },
  apprunner: {
    title: 'AWS App Runner, the whole service replaced, judged after the fact',
    stages:
      "tags the service with what runs before and what is deployed, then `UpdateService` with the new image and `RELEASE_VERSION`; App Runner replaces every instance at once. With `{ allAtOnce: { bake } }` the new version is judged after the switch against the stable version's traffic of the same length just before the release; a regression deploys the previous image again (minutes). App Runner has been closed to new customers since 2026-04-30; existing customers keep using it.",
    identity: "the service's `RELEASE_VERSION` runtime variable.",
  },
};

function permissionTable(permissions: readonly Permission[]): string[] {
  return [
    '| IAM action | on | why |',
    '| --- | --- | --- |',
    ...permissions.map((p) => `| \`${p.action}\` | ${p.resource} | ${p.why} |`),
  ];
}

/** The capabilities of each method as SecureCart's manifest gives them (the first target offering it). */
function capabilitiesByMethod(manifest: ReleaseManifest): Map<ReleaseMethodId, Capabilities> {
  const found = new Map<ReleaseMethodId, Capabilities>();
  for (const entry of Object.values(manifest.workloads)) {
    for (const target of Object.values(entry.environments)) {
      for (const capabilities of releaseMethods(target)) {
        if (!found.has(capabilities.method)) found.set(capabilities.method, capabilities);
      }
    }
  }
  return found;
}

function methodSection(method: ReleaseMethodId, capabilities: Capabilities | undefined): string[] {
  const how = HOW[method];
  const lines = [`## \`${method}\`: ${how.title}`, ''];
  if (capabilities) {
    lines.push(...describeCapabilities(capabilities).map((line) => `- ${line}`), '');
  }
  lines.push(`**A release:** ${how.stages}`, '', `**On traces:** ${how.identity}`, '');
  lines.push(...permissionTable(METHOD_PERMISSIONS[method]), '');
  if (method === 'eks-ingress') {
    lines.push(
      'Inside the cluster (an EKS access entry for the deploy role, or an RBAC Role bound to it), in the target namespace only:',
      '',
      '| API group | resource | verbs | names | why |',
      '| --- | --- | --- | --- | --- |',
      ...KUBERNETES_ACCESS.map(
        (a) => `| \`${a.apiGroup}\` | ${a.resource} | ${a.verbs.join(', ')} | ${a.names} | ${a.why} |`,
      ),
      '',
    );
  }
  return lines;
}

export function renderDoc(manifest: ReleaseManifest): string {
  const byMethod = capabilitiesByMethod(manifest);
  const lines = [
    '<!-- Generated by scripts/platform-docs.ts from pipelines/src (capabilities, permissions); do not edit. -->',
    '',
    '# Release methods on AWS',
    '',
    'How `tollgate deploy --backend aws` moves traffic on each platform, what it can and cannot do there, and',
    "the IAM actions its deploy role needs. The capabilities below are those of SecureCart's targets",
    "(`infra/aws/release-manifest.json`); every adapter's tests fail if it sends an action its table does not",
    "list, and `infra/aws/test/deploy-role.test.ts` checks that SecureCart's deploy role allows exactly these.",
    '',
    ...(Object.keys(HOW) as ReleaseMethodId[]).flatMap((method) =>
      methodSection(method, byMethod.get(method)),
    ),
    '## The gates',
    '',
    'Every release reads its gating alarms and one trace source, chosen per manifest environment (`traceSource`):',
    '`xray` (trace summaries, the default) or `spans` (CloudWatch Transaction Search through Logs Insights). What',
    'each costs is in [signals-cost.md](signals-cost.md).',
    '',
    '### `xray`',
    '',
    ...permissionTable(SIGNAL_PERMISSIONS.xray),
    '',
    '### `spans`',
    '',
    ...permissionTable(SIGNAL_PERMISSIONS.spans),
    '',
    '## Request validation',
    '',
    "The adapters' tests check every request they send, and every response their fakes give, against the",
    "service's model as the official SDK package publishes it (`infra/api-model/src/api-model.ts` reads each",
    "`<Operation>CommandInput`/`Output` from the SDK's type declarations): member names and types, required",
    'members, enum values. Length, range and pattern constraints are not in any model on the npm registry',
    "(the SDK's runtime schemas and the v2 SDK's models drop them), so the tests that depend on one assert it",
    'themselves (alias weights 0–1, ALB weights 0–999, ECS step percentages).',
    '',
    '## Not released by Tollgate',
    '',
    ...Object.entries(NOT_RELEASABLE).map(([kind, why]) => `- \`${kind}\`: ${why}.`),
    '',
  ];
  return lines.join('\n');
}

function main(): void {
  const manifest = parseReleaseManifest(JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')));
  const rendered = renderDoc(manifest);
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, 'utf8') : '';
    if (current !== rendered) {
      console.error(`${path.relative(ROOT, DOC_PATH)} is out of date: run npx tsx scripts/platform-docs.ts`);
      process.exit(1);
    }
    return;
  }
  fs.writeFileSync(DOC_PATH, rendered);
  console.log(`wrote ${path.relative(ROOT, DOC_PATH)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
