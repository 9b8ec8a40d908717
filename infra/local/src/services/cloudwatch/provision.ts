import type { ReleaseManifest, ReleaseTarget } from '@tollgate/pipelines/targets/manifest';
import { appRunnerServiceId } from '../apprunner/service-record';
import type { AlarmRule, DimensionValue, RuleDimension } from './alarm-rule';
import type { CloudWatchService } from './cloudwatch-service';

export interface ProvisionCloudWatchOptions {
  /** Cloud time the alarms are created at. */
  now: number;
}

/**
 * Creates each target's gating alarms from its `alarmRules` (both environments, in the target's account
 * and Region). A target whose manifest has no `alarmRules` yet gets nothing; its alarm names are returned,
 * so the caller can say which alarms DescribeAlarms will not know.
 */
export function provisionCloudWatch(
  service: CloudWatchService,
  manifest: ReleaseManifest,
  options: ProvisionCloudWatchOptions,
): { created: string[]; withoutRules: string[] } {
  const created: string[] = [];
  const withoutRules: string[] = [];
  for (const entry of Object.values(manifest.workloads)) {
    for (const target of Object.values(entry.environments)) {
      const rules = target.alarmRules ?? [];
      for (const rule of rules) {
        service.alarms.put(withLocalServiceIds(rule, target), target.account, target.region, options.now);
        created.push(rule.AlarmName);
      }
      withoutRules.push(...target.alarms.filter((name) => !rules.some((rule) => rule.AlarmName === name)));
    }
  }
  return { created, withoutRules };
}

/**
 * An App Runner service's id is generated at creation; the local App Runner derives it from the account,
 * Region and name (appRunnerServiceId), so the alarm watches the id its metrics carry.
 */
function withLocalServiceIds(rule: AlarmRule, target: ReleaseTarget): AlarmRule {
  const resolve = (value: DimensionValue): DimensionValue =>
    typeof value !== 'string' && value.Attribute === 'ServiceId'
      ? appRunnerServiceId(target.account, target.region, value.Ref)
      : value;
  const dimensions = (list: RuleDimension[] = []) =>
    list.map(({ Name, Value }) => ({ Name, Value: resolve(Value) }));
  const resolved: AlarmRule = { ...rule };
  if (rule.Dimensions) resolved.Dimensions = dimensions(rule.Dimensions);
  if (rule.Metrics) {
    resolved.Metrics = rule.Metrics.map((query) =>
      query.MetricStat
        ? {
            ...query,
            MetricStat: {
              ...query.MetricStat,
              Metric: {
                ...query.MetricStat.Metric,
                Dimensions: dimensions(query.MetricStat.Metric.Dimensions),
              },
            },
          }
        : query,
    );
  }
  return resolved;
}
