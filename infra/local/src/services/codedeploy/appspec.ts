import { createHash } from 'node:crypto';
import type { RevisionLocation } from '@aws-sdk/client-codedeploy';
import { parse } from 'yaml';
import { AwsServiceError } from '../service';

/** What an AppSpec deploys: a Lambda alias from one version to another, or an ECS task definition. */
export type AppSpecTarget =
  | { kind: 'lambda'; functionName: string; alias: string; currentVersion: string; targetVersion: string }
  | { kind: 'ecs'; taskDefinition: string; containerName: string; containerPort: number };

const invalid = (message: string) => new AwsServiceError('InvalidRevisionException', message);

/**
 * The AppSpec of a deployment's revision (AppSpecContent, JSON or YAML), checked as CodeDeploy checks it
 * on CreateDeployment: the SHA-256 when given, and one resource of the group's compute platform.
 */
export function appSpecOf(revision: RevisionLocation | undefined, platform: 'lambda' | 'ecs'): AppSpecTarget {
  if (!revision) throw new AwsServiceError('RevisionRequiredException', 'The revision is required.');
  if (revision.revisionType !== 'AppSpecContent' || !revision.appSpecContent?.content)
    throw invalid(
      'The local cloud deploys AppSpecContent revisions only; give the AppSpec in appSpecContent.',
    );
  const { content, sha256 } = revision.appSpecContent;
  if (sha256 && createHash('sha256').update(content, 'utf8').digest('hex') !== sha256)
    throw invalid('The SHA-256 of the AppSpec content does not match its sha256.');
  let spec: { Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>[] };
  try {
    spec = parse(content) as typeof spec;
  } catch {
    throw invalid('The AppSpec content is neither JSON nor YAML.');
  }
  const resource = Object.values(spec?.Resources?.[0] ?? {})[0];
  const properties = resource?.Properties ?? {};
  const text = (key: string) => (typeof properties[key] === 'string' ? (properties[key] as string) : '');
  if (platform === 'lambda') {
    if (resource?.Type !== 'AWS::Lambda::Function')
      throw invalid('The AppSpec has no AWS::Lambda::Function resource.');
    const target = {
      kind: 'lambda' as const,
      functionName: text('Name'),
      alias: text('Alias'),
      currentVersion: String(properties.CurrentVersion ?? ''),
      targetVersion: String(properties.TargetVersion ?? ''),
    };
    if (!target.functionName || !target.alias || !target.currentVersion || !target.targetVersion)
      throw invalid('The AppSpec Lambda resource needs Name, Alias, CurrentVersion and TargetVersion.');
    return target;
  }
  if (resource?.Type !== 'AWS::ECS::Service') throw invalid('The AppSpec has no AWS::ECS::Service resource.');
  const info = (properties.LoadBalancerInfo ?? {}) as { ContainerName?: unknown; ContainerPort?: unknown };
  const taskDefinition = text('TaskDefinition');
  if (!taskDefinition || typeof info.ContainerName !== 'string' || typeof info.ContainerPort !== 'number')
    throw invalid(
      'The AppSpec ECS resource needs TaskDefinition and LoadBalancerInfo (ContainerName, ContainerPort).',
    );
  return {
    kind: 'ecs',
    taskDefinition,
    containerName: info.ContainerName,
    containerPort: info.ContainerPort,
  };
}
