import type { Permission } from '../../aws/permission';
/** The IAM actions the CodeDeploy module sends (or that CodeDeploy checks on the caller when it does). */
export const PERMISSIONS: readonly Permission[] = [
  {
    action: 'codedeploy:CreateDeployment',
    resource: "the workload's deployment group",
    why: 'start a release CodeDeploy runs',
  },
  {
    action: 'codedeploy:RegisterApplicationRevision',
    resource: "the workload's CodeDeploy application",
    why: 'CreateDeployment registers the AppSpec revision it is given under this permission',
    checkedOn: 'codedeploy:CreateDeployment',
  },
  {
    action: 'codedeploy:GetDeployment',
    resource: "the workload's deployment group",
    why: 'follow the deployment',
  },
  {
    action: 'codedeploy:GetDeploymentGroup',
    resource: "the workload's deployment group",
    why: 'find the last deployment once none is running',
  },
  {
    action: 'codedeploy:ListDeployments',
    resource: "the workload's deployment group",
    why: 'find a deployment an interrupted run left',
  },
  {
    action: 'codedeploy:ListDeploymentTargets',
    resource: "the workload's deployment group",
    why: 'find the deployment target',
  },
  {
    action: 'codedeploy:GetDeploymentTarget',
    resource: "the workload's deployment group",
    why: 'read when traffic shifting began',
  },
  {
    action: 'codedeploy:StopDeployment',
    resource: "the workload's deployment group",
    why: 'stop with rollback when a gate fails',
  },
  {
    action: 'codedeploy:GetDeploymentConfig',
    resource: 'deployment configurations',
    why: 'check a custom time-based configuration exists',
  },
  {
    action: 'codedeploy:CreateDeploymentConfig',
    resource: 'deployment configurations named Tollgate.*',
    why: 'create a time-based configuration for a canary or linear shape no predefined one has',
  },
];
