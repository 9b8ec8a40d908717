import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type { Construct } from 'constructs';
import { acknowledge } from '../nag';
import { CONTAINER_PORT, type FargateLoadBalancer } from './fargate-load-balancer';

/**
 * How a Fargate service is released (see `FargateReleaseStrategy` in canary-fargate-service.ts):
 * CodeDeploy blue/green, or the ECS-native CANARY deployment strategy.
 */

export const CANARY_STEP_PERCENT = 10;
/** How long ECS keeps the old revision running after 100% (its deployment bake time), for a fast rollback. */
const DEPLOYMENT_BAKE_MINUTES = 5;
/**
 * ECS-native releases pause before every traffic shift until Tollgate continues them (a PAUSE hook at
 * PRE_PRODUCTION_TRAFFIC_SHIFT, rolling back after ECS's default 24 h), and bake nothing of their own
 * between steps: the bake is the policy's. Declared here exactly as Tollgate's adapter sets it on each
 * release (pipelines/src/platforms/ecs/native-schedule.ts), so a later `cdk deploy` does not undo it.
 */
const ECS_PAUSE_HOOK = {
  TargetType: 'PAUSE',
  LifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'],
  TimeoutConfiguration: { TimeoutInMinutes: 1440, Action: 'ROLLBACK' },
} as const;
export const CODEDEPLOY_ECS_CONFIG = 'CodeDeployDefault.ECSCanary10Percent5Minutes';

export interface BlueGreenRelease {
  readonly service: ecs.FargateService;
  readonly deploymentGroup: codedeploy.EcsDeploymentGroup;
}

/**
 * CODE_DEPLOY controller: a release registers a task definition and creates a CodeDeploy deployment that
 * shifts the production listener from blue to green (canary 10% then all), rolling back on a gating alarm.
 */
export function blueGreenRelease(
  scope: Construct,
  name: string,
  serviceProps: ecs.FargateServiceProps,
  lb: FargateLoadBalancer,
  alarms: cloudwatch.Alarm[],
): BlueGreenRelease {
  const service = new ecs.FargateService(scope, 'Service', {
    ...serviceProps,
    deploymentController: { type: ecs.DeploymentControllerType.CODE_DEPLOY },
  });
  service.attachToApplicationTargetGroup(lb.blueTargetGroup);

  const application = new codedeploy.EcsApplication(scope, 'Application', { applicationName: name });
  const deploymentGroup = new codedeploy.EcsDeploymentGroup(scope, 'DeploymentGroup', {
    application,
    deploymentGroupName: name,
    service,
    deploymentConfig: codedeploy.EcsDeploymentConfig.CANARY_10PERCENT_5MINUTES,
    blueGreenDeploymentConfig: {
      blueTargetGroup: lb.blueTargetGroup,
      greenTargetGroup: lb.greenTargetGroup,
      listener: lb.productionListener,
      testListener: lb.testListener,
      terminationWaitTime: Duration.minutes(5),
    },
    alarms,
    autoRollback: { failedDeployment: true, deploymentInAlarm: true, stoppedDeployment: true },
  });
  acknowledge(deploymentGroup, [
    {
      id: 'AwsSolutions-IAM4',
      reason:
        'AWSCodeDeployRoleForECS is the AWS-maintained policy CodeDeploy needs to create task sets and ' +
        'modify the listeners of this blue/green service; there is no narrower managed alternative.',
      appliesTo: ['Policy::arn:<AWS::Partition>:iam::aws:policy/AWSCodeDeployRoleForECS'],
    },
  ]);
  return { service, deploymentGroup };
}

/**
 * ECS controller with the native CANARY strategy: ECS moves the weights of the production (and test)
 * listener rule between the two target groups, rolling back on `deploymentAlarms` or the circuit breaker.
 */
export function ecsCanaryRelease(
  scope: Construct,
  workload: string,
  serviceProps: ecs.FargateServiceProps,
  lb: FargateLoadBalancer,
  alarms: cloudwatch.Alarm[],
  alarmNames: string[],
): ecs.FargateService {
  const weighted = (id: string, listener: elbv2.ApplicationListener) =>
    new elbv2.ApplicationListenerRule(scope, id, {
      listener,
      priority: 1,
      conditions: [elbv2.ListenerCondition.pathPatterns(['/*'])],
      action: elbv2.ListenerAction.weightedForward([
        { targetGroup: lb.blueTargetGroup, weight: 100 },
        { targetGroup: lb.greenTargetGroup, weight: 0 },
      ]),
    });
  const productionRule = weighted('ProductionRule', lb.productionListener);
  const testRule = weighted('TestRule', lb.testListener);
  const service = new ecs.FargateService(scope, 'Service', {
    ...serviceProps,
    deploymentController: { type: ecs.DeploymentControllerType.ECS },
    deploymentStrategy: ecs.DeploymentStrategy.CANARY,
    canaryConfiguration: { stepPercent: CANARY_STEP_PERCENT, stepBakeTime: Duration.minutes(0) },
    bakeTime: Duration.minutes(DEPLOYMENT_BAKE_MINUTES),
    circuitBreaker: { enable: true, rollback: true },
    deploymentAlarms: { alarmNames, behavior: ecs.AlarmBehavior.ROLLBACK_ON_ALARM },
  });
  // The L2 service knows only Lambda hooks; the PAUSE hook is set on the resource itself.
  (service.node.defaultChild as ecs.CfnService).addPropertyOverride(
    'DeploymentConfiguration.LifecycleHooks',
    [ECS_PAUSE_HOOK],
  );
  service
    .loadBalancerTarget({
      containerName: workload,
      containerPort: CONTAINER_PORT,
      alternateTarget: new ecs.AlternateTarget('AlternateTarget', {
        alternateTargetGroup: lb.greenTargetGroup,
        productionListener: ecs.ListenerRuleConfiguration.applicationListenerRule(productionRule),
        testListener: ecs.ListenerRuleConfiguration.applicationListenerRule(testRule),
      }),
    })
    .attachToApplicationTargetGroup(lb.blueTargetGroup);
  // deploymentAlarms names the alarms: they must exist before the service.
  for (const alarm of alarms) service.node.addDependency(alarm);
  acknowledge(service, [
    {
      id: 'AwsSolutions-IAM4',
      reason:
        'AmazonECSInfrastructureRolePolicyForLoadBalancers is the AWS-maintained policy ECS needs to move ' +
        'listener-rule weights during a native canary deployment; ECS assumes the role only for that.',
      appliesTo: [
        'Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonECSInfrastructureRolePolicyForLoadBalancers',
      ],
    },
  ]);
  return service;
}
