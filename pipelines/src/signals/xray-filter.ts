import { quoted } from './query-literal';

/**
 * The X-Ray filter expression that selects one workload's traces of one release.
 *
 * - `service("<name>")` matches traces with a node of that name. No type is given (`id(name:, type:)`):
 *   a Lambda function makes two nodes of one name (AWS::Lambda and AWS::Lambda::Function) that are in
 *   the same traces, and a container's type comes from its collector's resource detectors
 *   (AWS::ECS::Container, AWS::EKS::Container or none), which the release manifest does not record; a
 *   wrong type would match nothing.
 * - `annotation.release = "<version>"` matches traces with a segment annotated so. Annotations are
 *   trace-wide, so a caller's `release` matches too; `xray-traces.ts` also checks which service
 *   carries the annotation.
 */
export function releaseFilter(serviceName: string, version: string): string {
  const service = quoted(serviceName, 'X-Ray service name');
  return `service(${service}) AND annotation.release = ${quoted(version, 'release version')}`;
}
