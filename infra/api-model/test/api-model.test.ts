import { describe, expect, it } from 'vitest';
import { apiModel } from '../src/api-model';

describe('the API model from the SDK packages', () => {
  const ecs = apiModel('@aws-sdk/client-ecs');
  const lambda = apiModel('@aws-sdk/client-lambda');

  it('accepts a request AWS would accept', () => {
    expect(
      ecs.inputProblems('ContinueServiceDeployment', {
        serviceDeploymentArn: 'arn:x',
        hookId: 'h',
        action: 'ROLLBACK',
      }),
    ).toEqual([]);
    const routing = { AdditionalVersionWeights: { '7': 0.1 } };
    expect(
      lambda.inputProblems('UpdateAlias', { FunctionName: 'f', Name: 'live', RoutingConfig: routing }),
    ).toEqual([]);
  });

  it('names a missing required member, a value outside an enum, an unknown member and a wrong type', () => {
    expect(
      ecs.inputProblems('ContinueServiceDeployment', { serviceDeploymentArn: 'arn:x', action: 'PROCEED' }),
    ).toEqual([
      'ContinueServiceDeployment.action: "PROCEED" is not one of CONTINUE, ROLLBACK',
      'ContinueServiceDeployment: required member "hookId" is missing',
    ]);
    expect(lambda.inputProblems('UpdateAlias', { FunctionName: 'f', Name: 'live', Weight: 1 })[0]).toMatch(
      /^UpdateAlias: no member "Weight" \(members: FunctionName, Name, FunctionVersion, Description, RoutingConfig, RevisionId\)$/,
    );
    expect(
      lambda.inputProblems('UpdateAlias', {
        FunctionName: 'f',
        Name: 'live',
        RoutingConfig: { AdditionalVersionWeights: { '7': '10%' } },
      }),
    ).toEqual(['UpdateAlias.RoutingConfig.AdditionalVersionWeights.7: expected a number, got string "10%"']);
  });

  it('checks nested structures and lists, and responses too', () => {
    const problems = ecs.inputProblems('UpdateService', {
      service: 's',
      deploymentConfiguration: {
        strategy: 'CANARY',
        lifecycleHooks: [{ hookTargetArn: 'a', lifecycleStages: ['SOMETIME'] }],
      },
    });
    expect(problems).toEqual([
      'UpdateService.deploymentConfiguration.lifecycleHooks[0].lifecycleStages[0]: "SOMETIME" is not one of POST_PRODUCTION_TRAFFIC_SHIFT, POST_SCALE_UP, POST_TEST_TRAFFIC_SHIFT, PRE_PRODUCTION_TRAFFIC_SHIFT, PRE_SCALE_UP, PRODUCTION_TRAFFIC_SHIFT, RECONCILE_SERVICE, TEST_TRAFFIC_SHIFT',
    ]);
    expect(
      lambda.outputProblems('GetAlias', {
        $metadata: {},
        FunctionVersion: '3',
        RoutingConfig: { AdditionalVersionWeights: {} },
      }),
    ).toEqual([]);
    expect(lambda.outputProblems('GetAlias', { FunctionVersion: 3 })).toEqual([
      'GetAlias.FunctionVersion: expected a string, got number 3',
    ]);
  });
});
