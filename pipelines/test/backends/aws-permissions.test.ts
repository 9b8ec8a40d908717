import { describe, expect, it } from 'vitest';
import { actionsToGrant, METHOD_PERMISSIONS, SIGNAL_PERMISSIONS } from '../../src/backends/aws-permissions';

describe('the permissions of the aws backend', () => {
  it('lists, per release method and trace source, each action once with what it is on and why', () => {
    for (const list of [...Object.values(METHOD_PERMISSIONS), ...Object.values(SIGNAL_PERMISSIONS)]) {
      const actions = list.map((permission) => permission.action);
      expect(new Set(actions).size).toBe(actions.length);
      for (const permission of list) {
        expect(permission.action).toMatch(/^[a-z0-9-]+:[A-Z][A-Za-z]+$/);
        expect(permission.resource).not.toBe('');
        expect(permission.why).not.toBe('');
      }
    }
  });

  it('grants a Lambda alias release exactly what its adapter and the X-Ray gates send', () => {
    expect(actionsToGrant('lambda-alias', 'xray')).toEqual([
      'cloudwatch:DescribeAlarms',
      'lambda:GetAlias',
      'lambda:GetFunction',
      'lambda:GetFunctionConfiguration',
      'lambda:ListVersionsByFunction',
      'lambda:PublishVersion',
      'lambda:UpdateAlias',
      'lambda:UpdateFunctionCode',
      'lambda:UpdateFunctionConfiguration',
      'xray:GetTraceSummaries',
    ]);
  });

  it('grants an EKS release DescribeCluster only (the token needs no grant), and reads spans through Logs Insights', () => {
    expect(actionsToGrant('eks-ingress', 'spans')).toEqual([
      'cloudwatch:DescribeAlarms',
      'eks:DescribeCluster',
      'logs:GetQueryResults',
      'logs:StartQuery',
      'logs:StopQuery',
    ]);
  });
});
