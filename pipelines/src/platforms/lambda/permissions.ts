import type { Permission } from '../../aws/permission';
/**
 * The Lambda actions either Lambda adapter sends, all on the workload's function: grant them on its ARN
 * and on `<ARN>:*`, since reads of a version and writes of the alias name a qualified ARN.
 * `lambda-codedeploy` also needs the CodeDeploy module's (platforms/codedeploy/permissions.ts).
 */
export const PERMISSIONS: readonly Permission[] = [
  {
    action: 'lambda:GetAlias',
    resource: "the workload function's alias",
    why: 'read the live split (both methods)',
  },
  {
    action: 'lambda:UpdateAlias',
    resource: "the workload function's alias",
    why: 'lambda-alias: shift, promote and roll back; lambda-codedeploy: roll back when CodeDeploy did not',
  },
  {
    action: 'lambda:GetFunctionConfiguration',
    resource: 'the workload function and its versions',
    why: 'read which release a version carries, and how the last code update ended',
  },
  {
    action: 'lambda:ListVersionsByFunction',
    resource: 'the workload function',
    why: 'find a version already published for the release',
  },
  {
    action: 'lambda:UpdateFunctionConfiguration',
    resource: 'the workload function',
    why: "stage: set the release's RELEASE_VERSION, which the published version freezes and its traces carry",
  },
  {
    action: 'lambda:UpdateFunctionCode',
    resource: 'the workload function',
    why: "stage: upload the release's code",
  },
  {
    action: 'lambda:GetFunction',
    resource: 'the workload function',
    why: "stage: the SDK's waitUntilFunctionUpdatedV2 polls it until each update is done",
  },
  {
    action: 'lambda:PublishVersion',
    resource: 'the workload function',
    why: 'stage: publish the new code and RELEASE_VERSION as a version',
  },
];
