import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { gatingAlarm } from '../constructs/gating-alarm';
import { APP } from '../naming';

const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  requestTime: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latency: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
  xrayTraceId: '$context.xrayTraceId',
};

export interface OrderApi {
  readonly api: apigwv2.HttpApi;
  /** `securecart-<env>-order-processing-5xx`: the API's 5xx, a gate of order-processing's releases. */
  readonly serverErrorAlarm: ReturnType<typeof gatingAlarm>;
}

/** The HTTP API (IAM auth, `POST /orders`) in front of order-processing's `live` alias, with access logs. */
export function createOrderApi(
  scope: Construct,
  env: EnvironmentConfig,
  liveAlias: lambda.IFunction,
): OrderApi {
  const prefix = `${APP}-${env.name}`;
  const accessLogs = new logs.LogGroup(scope, 'OrderApiAccessLogs', {
    logGroupName: `/aws/apigateway/${prefix}-orders`,
    retention: env.logRetention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const api = new apigwv2.HttpApi(scope, 'OrderApi', {
    apiName: `${prefix}-orders`,
    description: 'SecureCart order API (called by checkout, SigV4-signed)',
    createDefaultStage: false,
    defaultAuthorizer: new HttpIamAuthorizer(),
  });
  const stage = api.addStage('DefaultStage', {
    stageName: '$default',
    autoDeploy: true,
    throttle: { rateLimit: 200, burstLimit: 400 },
    accessLogSettings: {
      destination: new apigwv2.LogGroupLogDestination(accessLogs),
      format: apigw.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
    },
  });
  api.addRoutes({
    path: '/orders',
    methods: [apigwv2.HttpMethod.POST],
    integration: new HttpLambdaIntegration('OrderProcessingLive', liveAlias),
  });
  const serverErrorAlarm = gatingAlarm(scope, 'OrderApi5xxAlarm', {
    env,
    workload: 'order-processing',
    signal: '5xx',
    description: `${prefix}-orders HTTP API 5xx responses`,
    metric: stage.metricServerError({ period: env.alarmPeriod, statistic: 'Sum' }),
    threshold: 5,
  });
  return { api, serverErrorAlarm };
}
