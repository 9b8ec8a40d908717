import type { EnvironmentEntry, ReleaseManifest, ReleaseTarget } from '@tollgate/pipelines/targets/manifest';
import { parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import { recordAlarmRule } from './alarm-rule';
import { DeployTimeValues } from './deploy-time-values';

/**
 * Collects release targets as the platform constructs are built. One registry per construct tree
 * (keyed by the tree's root, i.e. the App), so tests that build several apps never mix entries.
 */
export class ReleaseManifestRegistry {
  private static readonly registries = new WeakMap<IConstruct, ReleaseManifestRegistry>();

  static of(scope: IConstruct): ReleaseManifestRegistry {
    const root = scope.node.root;
    let registry = ReleaseManifestRegistry.registries.get(root);
    if (!registry) {
      registry = new ReleaseManifestRegistry();
      ReleaseManifestRegistry.registries.set(root, registry);
    }
    return registry;
  }

  private readonly targets = new Map<string, ReleaseTarget>();
  private readonly gatingAlarms = new Map<string, cloudwatch.Alarm>();
  private readonly environments = new Map<string, EnvironmentEntry>();
  private repository: string | undefined;

  registerTarget(workload: string, target: ReleaseTarget): void {
    const key = `${workload}/${target.environment}`;
    if (this.targets.has(key)) {
      throw new Error(
        `release target ${key} is registered twice; each workload may appear once per environment`,
      );
    }
    assertNoTokens(target, `release target ${key}`);
    this.targets.set(key, target);
  }

  /**
   * Record a gating alarm as it is created (gatingAlarm() does): `build()` gives every target the rules of
   * its `alarms`, read from the finished construct tree.
   */
  registerGatingAlarm(alarm: cloudwatch.Alarm): void {
    const name = (alarm.node.defaultChild as cloudwatch.CfnAlarm).alarmName;
    if (!name || Token.isUnresolved(name))
      throw new Error(`gating alarm ${alarm.node.path} has no literal name`);
    if (this.gatingAlarms.has(name)) throw new Error(`gating alarm ${name} is created twice`);
    this.gatingAlarms.set(name, alarm);
  }

  registerEnvironment(name: string, entry: EnvironmentEntry, repository: string): void {
    if (this.environments.has(name)) throw new Error(`environment ${name} is registered twice`);
    if (this.repository !== undefined && this.repository !== repository) {
      throw new Error(`deploy roles disagree on the repository: ${this.repository} vs ${repository}`);
    }
    assertNoTokens(entry, `environment ${name}`);
    this.repository = repository;
    this.environments.set(name, entry);
  }

  /** The validated manifest, with workloads and environments in a stable (sorted) order. */
  build(): ReleaseManifest {
    if (!this.repository)
      throw new Error('no deploy role registered: the manifest needs the repository and roles');
    const workloads: Record<
      string,
      { platform: ReleaseTarget['platform']; environments: Record<string, ReleaseTarget> }
    > = {};
    const values = new DeployTimeValues();
    for (const key of [...this.targets.keys()].sort()) {
      const target = this.withAlarmRules(key, this.targets.get(key) as ReleaseTarget, values);
      const workload = key.slice(0, key.lastIndexOf('/'));
      const entry = workloads[workload] ?? { platform: target.platform, environments: {} };
      entry.environments[target.environment] = target;
      workloads[workload] = entry;
    }
    const environments = Object.fromEntries(
      [...this.environments.entries()].sort(([a], [b]) => a.localeCompare(b)),
    );
    return parseReleaseManifest({
      schemaVersion: 1,
      application: 'securecart',
      repository: this.repository,
      environments,
      workloads,
    });
  }

  private withAlarmRules(key: string, target: ReleaseTarget, values: DeployTimeValues): ReleaseTarget {
    const alarmRules = target.alarms.map((name) => {
      const alarm = this.gatingAlarms.get(name);
      if (!alarm) {
        throw new Error(
          `release target ${key} lists alarm ${name}, which was not created with gatingAlarm(); its rule is unknown`,
        );
      }
      return recordAlarmRule(alarm, values);
    });
    return { ...target, alarmRules };
  }
}

function assertNoTokens(value: unknown, what: string, path = ''): void {
  if (typeof value === 'string') {
    if (Token.isUnresolved(value)) {
      throw new Error(
        `${what}${path ? ` at ${path}` : ''} is a CloudFormation token; use a deterministic name`,
      );
    }
    return;
  }
  if (typeof value === 'number') {
    if (Token.isUnresolved(value)) throw new Error(`${what} at ${path} is a token`);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      assertNoTokens(v, what, `${path}[${i}]`);
    });
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) assertNoTokens(v, what, path ? `${path}.${k}` : k);
  }
}

/** Where a release target lives: the fields every platform's target starts with. */
export function targetLocation(
  scope: IConstruct,
  env: { name: string; account: string; region: string },
): { environment: string; account: string; region: string; stack: string } {
  return {
    environment: env.name,
    account: env.account,
    region: env.region,
    stack: Stack.of(scope).stackName,
  };
}
