import type { V1Ingress } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  canaryPercent,
  findWeightedAction,
  withCanaryPercent,
} from '../../../src/platforms/eks/ingress-weights';
import { ACTION_KEY, ingress, MANIFEST_ACTION } from './recommendations-fixture';

const SERVICES = { stable: 'recommendations-stable', canary: 'recommendations-canary' };

function withAction(value: string): V1Ingress {
  return ingress(value) as unknown as V1Ingress;
}

function tuple(serviceName: string, weight: unknown, servicePort: unknown = '80') {
  return { serviceName, servicePort, weight };
}

function forward(...targetGroups: unknown[]): string {
  return JSON.stringify({ type: 'forward', forwardConfig: { targetGroups } });
}

describe('the weighted forward action', () => {
  it("is found through the rule whose backend port is use-annotation, as the manifest's folded YAML gives it", () => {
    const weighted = findWeightedAction(withAction(MANIFEST_ACTION), SERVICES);
    expect(weighted).toMatchObject({ key: ACTION_KEY, stableWeight: 100, canaryWeight: 0 });
    expect(canaryPercent(weighted)).toBe(0);
  });

  it('is rewritten with new weights, keeping ports, stickiness and order', () => {
    const weighted = findWeightedAction(withAction(MANIFEST_ACTION), SERVICES);
    expect(JSON.parse(withCanaryPercent(weighted, 25, SERVICES))).toEqual({
      type: 'forward',
      forwardConfig: {
        targetGroups: [tuple('recommendations-stable', 75), tuple('recommendations-canary', 25)],
        targetGroupStickinessConfig: { enabled: false },
      },
    });
    expect(() => withCanaryPercent(weighted, 12.5, SERVICES)).toThrow('a whole percentage 0..100, got 12.5');
  });

  it('reads weights that do not sum to 100 as a share, to two decimals', () => {
    const weighted = findWeightedAction(
      withAction(forward(tuple('recommendations-canary', 1, 80), tuple('recommendations-stable', 2))),
      SERVICES,
    );
    expect(canaryPercent(weighted)).toBe(33.33);
  });

  it('refuses what the load balancer would not take or Tollgate cannot split', () => {
    const refuse = (value: string) => () => findWeightedAction(withAction(value), SERVICES);
    expect(
      refuse(forward(tuple('recommendations-stable', 1000), tuple('recommendations-canary', 0))),
    ).toThrow('gives recommendations-stable weight 1000; the load balancer needs a whole number 0..999');
    expect(refuse(forward(tuple('recommendations-stable', 0), tuple('recommendations-canary', 0)))).toThrow(
      'gives both tracks weight 0, so it routes traffic to neither',
    );
    expect(
      refuse(
        forward(tuple('recommendations-stable', 50), tuple('recommendations-canary', 0), tuple('legacy', 50)),
      ),
    ).toThrow('forwards to 3 target groups; Tollgate sets the weights of exactly two');
    expect(refuse('{"type":"forward",')).toThrow(`annotation ${ACTION_KEY} is not JSON`);
    expect(refuse(forward(tuple('recommendations-stable', 100)))).toThrow('needs exactly one');
  });
});
