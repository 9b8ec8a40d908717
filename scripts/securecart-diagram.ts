/**
 * Generate docs/securecart.md (architecture diagram + release table) from infra/aws/release-manifest.json.
 *
 *   npx tsx scripts/securecart-diagram.ts          # write
 *   npx tsx scripts/securecart-diagram.ts --check  # exit 1 if the committed doc drifted
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  parseReleaseManifest,
  type ReleaseManifest,
  type ReleaseTarget,
} from '@tollgate/pipelines/targets/manifest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const MANIFEST_PATH = path.join(ROOT, 'infra', 'aws', 'release-manifest.json');
export const DOC_PATH = path.join(ROOT, 'docs', 'securecart.md');

const PLATFORM_LABEL: Record<ReleaseTarget['platform'], string> = {
  lambda: 'AWS Lambda',
  ecs: 'Amazon ECS on Fargate',
  'ecs-ec2': 'Amazon ECS on EC2',
  eks: 'Amazon EKS',
  apprunner: 'AWS App Runner',
  stepfunctions: 'AWS Step Functions',
};

/** How a release moves traffic on each platform (from the target's own fields, not guessed). */
export function releaseMethod(target: ReleaseTarget): string {
  switch (target.platform) {
    case 'lambda':
      return `alias \`${target.alias}\` weighted by Tollgate, or shifted by CodeDeploy (\`${target.codeDeploy.deploymentConfig}\`)`;
    case 'ecs':
      return target.strategy === 'codedeploy-blue-green'
        ? `CodeDeploy blue/green (\`${target.codeDeploy?.deploymentConfig ?? 'custom'}\`), test listener :${target.testListenerPort}`
        : `ECS-native canary ${target.canary?.stepPercent ?? '?'}%, paused before each step for Tollgate's bake, alarm + circuit-breaker rollback`;
    case 'ecs-ec2':
      return `ECS rolling update (${target.rolling.minHealthyPercent}-${target.rolling.maxPercent}%) on capacity provider \`${target.capacityProvider}\`, circuit-breaker + alarm rollback`;
    case 'eks':
      return `stable/canary Deployments in namespace \`${target.namespace}\`, weighted by the Ingress`;
    case 'apprunner':
      return 'App Runner deployment, gated after the fact; rollback redeploys the previous image';
    case 'stepfunctions':
      return `version behind alias \`${target.alias}\` (canary 10% / 5 min)`;
  }
}

function nodeId(name: string): string {
  return name.replace(/[^A-Za-z0-9]/g, '_');
}

/** Mermaid flowchart: one subgraph per platform, the request/event flow between workloads. */
export function mermaid(manifest: ReleaseManifest): string {
  const byPlatform = new Map<string, string[]>();
  for (const [name, entry] of Object.entries(manifest.workloads)) {
    const list = byPlatform.get(entry.platform) ?? [];
    list.push(name);
    byPlatform.set(entry.platform, list);
  }
  const lines = [
    'flowchart LR',
    '  customer([Customer])',
    '  github([GitHub Actions<br/>Tollgate deploy role])',
  ];
  for (const [platform, names] of [...byPlatform.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  subgraph ${nodeId(platform)}["${PLATFORM_LABEL[platform as ReleaseTarget['platform']]}"]`);
    for (const name of names.sort()) lines.push(`    ${nodeId(name)}["${name}"]`);
    lines.push('  end');
  }
  const known = new Set(Object.keys(manifest.workloads));
  const edges: Array<[string, string, string]> = [
    ['customer', 'checkout', 'HTTPS'],
    ['customer', 'product-search', 'search'],
    ['customer', 'recommendations', 'recommendations'],
    ['customer', 'auth', 'sign-in'],
    ['checkout', 'order-processing', 'POST /orders (SigV4)'],
    ['order-processing', 'fulfillment', 'StartExecution :live'],
    ['fulfillment', 'fraud-detection', 'invoke :live'],
    ['fulfillment', 'payments', 'invoke :live'],
    ['fulfillment', 'inventory-sync', 'inventory table stream'],
  ];
  for (const [from, to, label] of edges) {
    const fromKnown = from === 'customer' || known.has(from);
    if (fromKnown && known.has(to)) lines.push(`  ${nodeId(from)} -->|"${label}"| ${nodeId(to)}`);
  }
  for (const name of [...known].sort()) lines.push(`  github -.->|release| ${nodeId(name)}`);
  return lines.join('\n');
}

/** A Markdown table with padded columns (the layout biome's Markdown formatter keeps). */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(3, h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

export function renderDoc(manifest: ReleaseManifest): string {
  const rows = Object.entries(manifest.workloads).flatMap(([name, entry]) => {
    const production = entry.environments.production ?? Object.values(entry.environments)[0];
    if (!production) return [];
    const alarms = production.alarms
      .map((a) => `\`${a.replace(/^securecart-production-/, '…-')}\``)
      .join(', ');
    return [
      [
        name,
        PLATFORM_LABEL[entry.platform],
        releaseMethod(production),
        alarms,
        `\`${production.xrayServiceName}\``,
      ],
    ];
  });
  const envRows = Object.entries(manifest.environments).map(([env, e]) => [
    env,
    e.account,
    e.region,
    `\`${e.deployRoleName}\``,
    e.oidcSubjects.map((s) => `\`${s}\``).join('<br/>'),
  ]);
  const workloadTable = table(['Workload', 'Runs on', 'Released by', 'Gating alarms', 'X-Ray service'], rows);
  const envTable = table(['Environment', 'Account', 'Region', 'Deploy role', 'Allowed `sub`'], envRows);
  return `<!-- Generated by scripts/securecart-diagram.ts from infra/aws/release-manifest.json. Do not edit by hand. -->
# SecureCart on AWS

SecureCart's services, where they run and how Tollgate releases them. The CDK app in \`infra/aws/\`
defines them; its release manifest (\`infra/aws/release-manifest.json\`) is the source of this page.

\`\`\`mermaid
${mermaid(manifest)}
\`\`\`

## Workloads

Alarm names are shown for production (\`…-\` = \`securecart-production-\`); staging uses \`securecart-staging-\`.
Any gating alarm in ALARM fails a release step; X-Ray traces annotated with the release are compared canary vs baseline.

${workloadTable}

## Environments and deploy access

GitHub Actions assume the deploy role through the \`token.actions.githubusercontent.com\` OIDC provider
(audience \`sts.amazonaws.com\`); the role's trust allows exactly these \`sub\` claims of \`${manifest.repository}\`.

${envTable}
`;
}

function main(): void {
  const manifest = parseReleaseManifest(JSON.parse(fs.readFileSync(MANIFEST_PATH, 'utf8')));
  const rendered = renderDoc(manifest);
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(DOC_PATH) ? fs.readFileSync(DOC_PATH, 'utf8') : '';
    if (current !== rendered) {
      console.error(`${DOC_PATH} is out of date; run: npx tsx scripts/securecart-diagram.ts`);
      process.exit(1);
    }
    console.log(`${DOC_PATH} is up to date`);
    return;
  }
  fs.writeFileSync(DOC_PATH, rendered);
  console.log(`wrote ${DOC_PATH}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
