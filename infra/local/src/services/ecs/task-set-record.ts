import type { TargetGroupLabel } from './load-balancer';
import type { RevisionTasks } from './revision-tasks';

/** A task set of a CODE_DEPLOY service: one revision's tasks, registered with one target group. */
export interface TaskSetRecord {
  id: string;
  arn: string;
  taskDefinition: string;
  status: 'PRIMARY' | 'ACTIVE' | 'DRAINING';
  /** The CodeDeploy deployment that created it. */
  externalId?: string;
  createdAt: number;
  updatedAt: number;
  group: TargetGroupLabel;
  tasks?: RevisionTasks;
}
