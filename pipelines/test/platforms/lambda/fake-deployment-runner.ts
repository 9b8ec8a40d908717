import type { ErrorCode } from '@aws-sdk/client-codedeploy';
import { type FakeDeployment, isActive, shiftAt } from './fake-deployment';
import type { FakeLambda } from './fake-lambda';

/**
 * How the fake CodeDeploy's deployments move: each shift of a release's schedule at its own time,
 * moving the alias; a failure on reaching a shift; and the rollback CodeDeploy then creates (a new
 * deployment) which puts all traffic back on the original version `rollbackMs` later.
 */
export class DeploymentRunner {
  constructor(
    readonly deployments: FakeDeployment[],
    private readonly lambda: FakeLambda,
    private readonly now: () => number,
    private readonly rollbackMs: number,
  ) {}

  add(fields: Omit<FakeDeployment, 'id' | 'status' | 'shiftIndex'>): FakeDeployment {
    const id = `d-FAKE${String(this.deployments.length + 1).padStart(5, '0')}`;
    const deployment: FakeDeployment = { ...fields, id, status: 'InProgress', shiftIndex: -1 };
    this.deployments.push(deployment);
    return deployment;
  }

  advance(deployment: FakeDeployment, now: number): void {
    while (isActive(deployment)) {
      const next = deployment.shiftIndex + 1;
      const at = shiftAt(deployment, next);
      if (next >= deployment.shifts.length || at > now) return;
      this.enter(deployment, next, at);
    }
  }

  private enter(deployment: FakeDeployment, index: number, at: number): void {
    deployment.shiftIndex = index;
    const shift = deployment.shifts[index];
    const { failAt } = deployment;
    if (failAt?.shiftIndex === index) {
      this.end(deployment, 'Failed', at, failAt);
      this.rollBack(deployment, at);
    } else if (shift?.percent === 100) {
      this.lambda.setAlias(at, deployment.toRef, {});
      this.end(deployment, 'Succeeded', at);
    } else if (shift) {
      this.lambda.setAlias(at, deployment.fromRef, { [deployment.toRef]: shift.percent / 100 });
    }
  }

  end(
    deployment: FakeDeployment,
    status: 'Succeeded' | 'Failed' | 'Stopped',
    at: number,
    error?: { code: ErrorCode; message: string },
  ): void {
    deployment.status = status;
    deployment.endedAt = at;
    if (error) deployment.error = { code: error.code, message: error.message };
  }

  /** CodeDeploy's rollback: a new deployment that moves all traffic back to the original version. */
  rollBack(deployment: FakeDeployment, at: number): void {
    const rollback = this.add({
      config: 'CodeDeployDefault.LambdaAllAtOnce',
      appSpec: deployment.appSpec,
      creator: 'codeDeployRollback',
      fromRef: deployment.toRef,
      toRef: deployment.fromRef,
      createdAt: at,
      trafficAt: at,
      shifts: [{ percent: 100, holdMs: 0 }],
      rollbackOf: deployment.id,
    });
    deployment.rolledBackBy = rollback.id;
    this.finishRollback(rollback, this.now());
  }

  finishRollback(rollback: FakeDeployment, now: number): void {
    const at = rollback.createdAt + this.rollbackMs;
    if (!isActive(rollback) || at > now) return;
    rollback.shiftIndex = 0;
    this.lambda.setAlias(at, rollback.toRef, {});
    this.end(rollback, 'Succeeded', at);
  }
}
