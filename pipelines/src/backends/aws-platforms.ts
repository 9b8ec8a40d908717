import type { AwsClients } from '../aws/clients';
import { AppRunnerPlatform } from '../platforms/apprunner/apprunner-platform';
import { EcsCodeDeployPlatform } from '../platforms/ecs/ecs-codedeploy-platform';
import { EcsNativePlatform } from '../platforms/ecs/ecs-native-platform';
import { EksPlatform } from '../platforms/eks/eks-platform';
import { openClusterAccess } from '../platforms/eks/kubeconfig';
import { LambdaAliasPlatform } from '../platforms/lambda/lambda-alias-platform';
import { LambdaCodeDeployPlatform } from '../platforms/lambda/lambda-codedeploy-platform';
import type { Platform } from '../platforms/port';
import type { PolicyEnvironment } from '../policy/target-checks';
import type { ReleaseMethodId } from '../targets/capabilities';
import type { ReleaseTarget } from '../targets/manifest';
import type { Clock } from '../time/clock';

/** What every AWS platform adapter is built from. */
export interface AwsPlatformContext {
  workload: string;
  environment: PolicyEnvironment;
  clients: AwsClients;
  clock: Clock;
  env: NodeJS.ProcessEnv;
}

type PlatformOf<P extends ReleaseTarget['platform']> = (
  context: AwsPlatformContext,
  target: Extract<ReleaseTarget, { platform: P }>,
) => Platform;

/** Narrows the bound target to the platform a release method is for (the policy binding made sure). */
function forPlatform<P extends ReleaseTarget['platform']>(platform: P, build: PlatformOf<P>) {
  return (context: AwsPlatformContext): Platform => {
    const { target } = context.environment;
    if (target.platform !== platform) {
      throw new Error(
        `${context.environment.capabilities.method} releases ${platform} targets, not ${target.platform}`,
      );
    }
    return build(context, target as Extract<ReleaseTarget, { platform: P }>);
  };
}

/** One adapter per release method: the only place that knows which class moves which traffic. */
const AWS_PLATFORMS: Record<ReleaseMethodId, (context: AwsPlatformContext) => Platform> = {
  'lambda-alias': forPlatform(
    'lambda',
    ({ workload, environment, clients }, target) =>
      new LambdaAliasPlatform({ workload, target, capabilities: environment.capabilities, clients }),
  ),
  'lambda-codedeploy': forPlatform(
    'lambda',
    ({ workload, environment, clients, clock }, target) =>
      new LambdaCodeDeployPlatform({
        workload,
        target,
        capabilities: environment.capabilities,
        clients,
        strategy: environment.strategy,
        clock,
      }),
  ),
  'ecs-native': forPlatform(
    'ecs',
    ({ workload, environment, clients, clock }, target) =>
      new EcsNativePlatform({
        workload,
        target,
        capabilities: environment.capabilities,
        client: clients.ecs,
        clock,
      }),
  ),
  'ecs-codedeploy': forPlatform(
    'ecs',
    ({ workload, environment, clients, clock }, target) =>
      new EcsCodeDeployPlatform({
        workload,
        target,
        capabilities: environment.capabilities,
        clients,
        clock,
        strategy: environment.strategy,
        steps: environment.steps,
      }),
  ),
  'eks-ingress': forPlatform(
    'eks',
    ({ workload, environment, clients, clock, env }, target) =>
      new EksPlatform({
        workload,
        target,
        capabilities: environment.capabilities,
        cluster: openClusterAccess({ workload, clusterName: target.clusterName, clients, clock, env }),
        clock,
      }),
  ),
  apprunner: forPlatform(
    'apprunner',
    ({ workload, environment, clients, clock }, target) =>
      new AppRunnerPlatform({
        workload,
        target,
        capabilities: environment.capabilities,
        client: clients.appRunner,
        sleep: (ms) => clock.sleep(ms),
      }),
  ),
};

export function awsPlatformFor(context: AwsPlatformContext): Platform {
  return AWS_PLATFORMS[context.environment.capabilities.method](context);
}
