import { afterAll, beforeAll, describe, it } from 'vitest';
import { appRunnerRoundTrips } from './round-trips/apprunner-round-trips';
import { codeDeployRoundTrips } from './round-trips/codedeploy-round-trips';
import { ecsRoundTrips } from './round-trips/ecs-round-trips';
import { eksRoundTrips } from './round-trips/eks-round-trips';
import { lambdaRoundTrips } from './round-trips/lambda-round-trips';
import { type RoundTripWorld, startRoundTripCloud } from './round-trips/round-trip-cloud';
import { cloudWatchRoundTrips, logsRoundTrips, xrayRoundTrips } from './round-trips/signal-round-trips';

/**
 * Every operation the local cloud serves, through the official SDK clients on one assembled cloud: valid
 * requests with the manifest's names answer exact values, mutations read back their effect, and one
 * invalid request per service is rejected with that service's own error, naming the member. The flows
 * run in this order: CloudWatch before anything invokes payments; X-Ray reads whichever release is live.
 */
describe('SDK round trips against the assembled local cloud', () => {
  let world: RoundTripWorld;
  beforeAll(async () => {
    world = await startRoundTripCloud();
  }, 60_000);
  afterAll(() => world?.cloud.close());

  it('CloudWatch: DescribeAlarms', () => cloudWatchRoundTrips(world));
  it('Lambda: every operation, UpdateAlias read back', () => lambdaRoundTrips(world));
  it('CodeDeploy: a canary to Succeeded, a stop with rollback', () => codeDeployRoundTrips(world));
  it('ECS: a canary continued past its pause, a stop with rollback', () => ecsRoundTrips(world));
  it('EKS: DescribeCluster', () => eksRoundTrips(world));
  it('App Runner: tags and an image update to SUCCEEDED', () => appRunnerRoundTrips(world));
  it('X-Ray: GetTraceSummaries of an invocation', () => xrayRoundTrips(world));
  it('Logs: StartQuery, GetQueryResults, StopQuery over aws/spans', () => logsRoundTrips(world));
});
