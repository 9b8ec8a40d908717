import type { Permission } from '../../aws/permission';
/** The IAM actions the App Runner adapter sends. */
export const PERMISSIONS: readonly Permission[] = [
  {
    action: 'apprunner:ListServices',
    resource: '*',
    why: 'find the service by name (the manifest knows names, not ARNs)',
  },
  {
    action: 'apprunner:DescribeService',
    resource: "the workload's service",
    why: 'read the image and release it runs',
  },
  {
    action: 'apprunner:ListOperations',
    resource: "the workload's service",
    why: 'follow the update, find one in flight',
  },
  {
    action: 'apprunner:ListTagsForResource',
    resource: "the workload's service",
    why: 'read what ran before the release',
  },
  {
    action: 'apprunner:TagResource',
    resource: "the workload's service",
    why: 'record what ran before and what is being deployed',
  },
  {
    action: 'apprunner:UpdateService',
    resource: "the workload's service",
    why: 'deploy the new image, or the old one back',
  },
  {
    action: 'iam:PassRole',
    resource: "the service's ECR access role",
    why: 'UpdateService passes the access role of a private ECR image source back to App Runner',
    checkedOn: 'apprunner:UpdateService',
  },
];
