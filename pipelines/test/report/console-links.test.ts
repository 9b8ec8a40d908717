import { describe, expect, it } from 'vitest';
import { environmentOf, parsePolicy } from '../../src/policy/load-policy';
import { consoleLinks } from '../../src/report/console-links';
import { markdownReport } from '../../src/report/markdown-report';
import { reportContext } from '../../src/report/report-context';
import { TEST_MANIFEST } from '../fixtures/manifest';
import { enginePolicy } from '../scenarios/harness';
import { rolledBackRecord } from './release-fixture';

const context = {
  region: 'eu-west-1',
  account: '123456789012',
  alarms: ['shop-production-orders-5xx'],
  traceService: 'orders',
};

describe('console links for the release window', () => {
  it('builds the context from the policy environment: its target’s Region, account, alarms and service', () => {
    const environment = environmentOf(
      parsePolicy(enginePolicy(), 'test-policy.yml', TEST_MANIFEST),
      'production',
    );
    const { target } = environment;
    expect(reportContext(environment)).toEqual({
      region: target.region,
      account: target.account,
      alarms: ['shop-production-orders-5xx'],
      traceService: target.xrayServiceName,
    });
  });

  it('links each gating alarm and the traces of each version, by release annotation, for the window', () => {
    const links = consoleLinks(rolledBackRecord(), context);
    expect(links).toEqual({
      kind: 'links',
      region: 'eu-west-1',
      account: '123456789012',
      window: { from: Date.parse('2026-01-01T00:00:00Z'), to: Date.parse('2026-01-01T00:06:00Z') },
      alarms: [
        {
          label: 'shop-production-orders-5xx',
          url: 'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/shop-production-orders-5xx',
        },
      ],
      traces: [
        {
          label: 'service("orders") AND annotation.release = "v2"',
          url:
            'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#xray:traces/query?' +
            "~(query~(expression~'service*28*22orders*22*29*20AND*20annotation.release*20*3d*20*22v2*22)" +
            "~context~(timeRange~(end~'2026-01-01T00*3a06*3a00.000Z~start~'2026-01-01T00*3a00*3a00.000Z)))",
        },
        {
          label: 'service("orders") AND annotation.release = "v1"',
          url:
            'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#xray:traces/query?' +
            "~(query~(expression~'service*28*22orders*22*29*20AND*20annotation.release*20*3d*20*22v1*22)" +
            "~context~(timeRange~(end~'2026-01-01T00*3a06*3a00.000Z~start~'2026-01-01T00*3a00*3a00.000Z)))",
        },
      ],
    });
  });

  it('encodes an alarm name for the console’s fragment', () => {
    const links = consoleLinks(rolledBackRecord(), { ...context, alarms: ['p99 > 1s / orders'] });
    expect(links.kind === 'links' && links.alarms[0]?.url).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/p99%20%3E%201s%20%2F%20orders',
    );
  });

  it('says there is no AWS console for a simulated or local release, and links nowhere', () => {
    for (const backend of ['memory', 'local'] as const) {
      const report = markdownReport({ ...rolledBackRecord(), backend }, context);
      expect(report).not.toContain('console.aws.amazon.com');
      expect(report).toMatch(
        /### Where to look\n\nNo AWS console: this release (was simulated|ran on the local cloud)/,
      );
    }
  });

  it('links nowhere without a context or outside the standard partition, and says why', () => {
    expect(consoleLinks(rolledBackRecord(), undefined)).toEqual({
      kind: 'none',
      why: 'No console links: this report was written without the release target.',
    });
    expect(consoleLinks(rolledBackRecord(), { ...context, region: 'cn-north-1' })).toEqual({
      kind: 'none',
      why: 'No console links: cn-north-1 is not a Region of the standard AWS partition.',
    });
  });

  it('the job summary lists the links as markdown links', () => {
    const report = markdownReport(rolledBackRecord(), context);
    expect(report).toContain(
      '- [shop-production-orders-5xx](<https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/shop-production-orders-5xx>)',
    );
    expect(report).toContain(
      'In the AWS console (account 123456789012, eu-west-1; sign in to that account first)',
    );
  });
});
