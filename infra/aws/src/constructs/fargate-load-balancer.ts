import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { resourceName, shortName } from '../naming';

export const CONTAINER_PORT = 8080;
export const TEST_LISTENER_PORT = 8443;
const HTTP_PORT = 80;
const HTTPS_PORT = 443;

export interface FargateLoadBalancerProps {
  readonly env: EnvironmentConfig;
  readonly workload: string;
  readonly vpc: ec2.IVpc;
  readonly internetFacing: boolean;
  readonly accessLogBucket: s3.IBucket;
  readonly healthCheckPath: string;
  readonly certificateArn?: string | undefined;
  /**
   * CodeDeploy blue/green: the listeners forward to blue (production) and green (test) and CodeDeploy
   * swaps them. Otherwise (ECS canary) weighted listener rules carry the traffic; the default answers 404.
   */
  readonly blueGreen: boolean;
}

/** The ALB of one service: production and test listeners, blue and green target groups. */
export interface FargateLoadBalancer {
  readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  readonly securityGroup: ec2.SecurityGroup;
  readonly productionListener: elbv2.ApplicationListener;
  readonly testListener: elbv2.ApplicationListener;
  readonly productionPort: number;
  readonly blueTargetGroup: elbv2.ApplicationTargetGroup;
  readonly greenTargetGroup: elbv2.ApplicationTargetGroup;
}

export function createFargateLoadBalancer(
  scope: Construct,
  props: FargateLoadBalancerProps,
): FargateLoadBalancer {
  const { env, workload, vpc } = props;
  const name = resourceName(env, workload);
  const securityGroup = new ec2.SecurityGroup(scope, 'AlbSecurityGroup', {
    vpc,
    description: `${name} load balancer`,
    allowAllOutbound: false,
  });
  const loadBalancer = new elbv2.ApplicationLoadBalancer(scope, 'Alb', {
    vpc,
    loadBalancerName: shortName(env, workload),
    internetFacing: props.internetFacing,
    securityGroup,
    dropInvalidHeaderFields: true,
    deletionProtection: env.name === 'production',
    vpcSubnets: {
      subnetType: props.internetFacing ? ec2.SubnetType.PUBLIC : ec2.SubnetType.PRIVATE_WITH_EGRESS,
    },
  });
  loadBalancer.logAccessLogs(props.accessLogBucket, name);
  const blueTargetGroup = targetGroup(scope, props, 'blue');
  const greenTargetGroup = targetGroup(scope, props, 'green');
  const listeners = addListeners(loadBalancer, securityGroup, props, blueTargetGroup, greenTargetGroup);
  return { loadBalancer, securityGroup, blueTargetGroup, greenTargetGroup, ...listeners };
}

function targetGroup(
  scope: Construct,
  props: FargateLoadBalancerProps,
  suffix: 'blue' | 'green',
): elbv2.ApplicationTargetGroup {
  return new elbv2.ApplicationTargetGroup(scope, suffix === 'blue' ? 'BlueTargetGroup' : 'GreenTargetGroup', {
    vpc: props.vpc,
    targetGroupName: shortName(props.env, props.workload, suffix),
    targetType: elbv2.TargetType.IP,
    protocol: elbv2.ApplicationProtocol.HTTP,
    port: CONTAINER_PORT,
    deregistrationDelay: Duration.seconds(30),
    healthCheck: {
      path: props.healthCheckPath,
      healthyHttpCodes: '200',
      interval: Duration.seconds(10),
      timeout: Duration.seconds(5),
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
    },
  });
}

function addListeners(
  loadBalancer: elbv2.ApplicationLoadBalancer,
  securityGroup: ec2.SecurityGroup,
  props: FargateLoadBalancerProps,
  blue: elbv2.ApplicationTargetGroup,
  green: elbv2.ApplicationTargetGroup,
): Pick<FargateLoadBalancer, 'productionListener' | 'testListener' | 'productionPort'> {
  const { env, certificateArn, blueGreen } = props;
  if (props.internetFacing && env.name === 'production' && !certificateArn) {
    throw new Error(
      `${shortName(env, props.workload)}: an internet-facing load balancer in production must listen on HTTPS; give it a certificate`,
    );
  }
  const productionPort = certificateArn ? HTTPS_PORT : HTTP_PORT;
  const notFound = elbv2.ListenerAction.fixedResponse(404, {
    contentType: 'text/plain',
    messageBody: 'not found',
  });
  // Literal CIDR (not the VPC's CidrBlock attribute) so reviewers and cdk-nag can read the rule.
  const clientPeer = props.internetFacing ? ec2.Peer.anyIpv4() : ec2.Peer.ipv4(env.vpcCidr);
  const productionListener = loadBalancer.addListener('ProductionListener', {
    port: productionPort,
    protocol: certificateArn ? elbv2.ApplicationProtocol.HTTPS : elbv2.ApplicationProtocol.HTTP,
    open: false,
    ...(certificateArn
      ? {
          certificates: [elbv2.ListenerCertificate.fromArn(certificateArn)],
          sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
        }
      : {}),
    defaultAction: blueGreen ? elbv2.ListenerAction.forward([blue]) : notFound,
  });
  securityGroup.addIngressRule(clientPeer, ec2.Port.tcp(productionPort), 'production traffic');
  if (certificateArn) addHttpsRedirect(loadBalancer, securityGroup, clientPeer);
  // The test listener only ever serves the new revision to pre-traffic checks from inside the VPC.
  const testListener = loadBalancer.addListener('TestListener', {
    port: TEST_LISTENER_PORT,
    protocol: elbv2.ApplicationProtocol.HTTP,
    open: false,
    defaultAction: blueGreen ? elbv2.ListenerAction.forward([green]) : notFound,
  });
  securityGroup.addIngressRule(
    ec2.Peer.ipv4(env.vpcCidr),
    ec2.Port.tcp(TEST_LISTENER_PORT),
    'test listener, VPC only',
  );
  return { productionListener, testListener, productionPort };
}

/** Plain HTTP on port 80 answers a permanent redirect to the same URL on HTTPS 443, nothing else. */
function addHttpsRedirect(
  loadBalancer: elbv2.ApplicationLoadBalancer,
  securityGroup: ec2.SecurityGroup,
  clientPeer: ec2.IPeer,
): void {
  loadBalancer.addListener('HttpRedirectListener', {
    port: HTTP_PORT,
    protocol: elbv2.ApplicationProtocol.HTTP,
    open: false,
    defaultAction: elbv2.ListenerAction.redirect({
      protocol: 'HTTPS',
      port: String(HTTPS_PORT),
      permanent: true,
    }),
  });
  securityGroup.addIngressRule(clientPeer, ec2.Port.tcp(HTTP_PORT), 'plain HTTP, redirected to HTTPS');
}
