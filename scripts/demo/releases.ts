import type { VersionFault } from '@tollgate/local-cloud/faults/fault-plan';

/** One release the demo runs, and how its version behaves. */
export interface DemoRelease {
  workload: string;
  version: string;
  story: string;
  policy: string;
  /** What the version acts out in its own request path (nothing: a healthy version). */
  fault?: Omit<VersionFault, 'workload' | 'version'>;
  expectedExit: number;
}

/**
 * ×20 with 100 requests per second to each workload: the gates collect their samples within their bakes,
 * and a one-second stall of this machine (a process starting) stays shorter than an alarm's period (3 s).
 */
export const DEMO_SCALE = 20;
export const DEMO_REQUESTS_PER_SECOND = 100;

export const DEMO_RELEASES: readonly DemoRelease[] = [
  {
    workload: 'payments',
    version: '1.1.0',
    story: 'healthy',
    policy: 'scripts/demo/payments.local.yml',
    expectedExit: 0,
  },
  {
    workload: 'payments',
    version: '1.2.0',
    story: '15 ms slower on every request',
    policy: 'scripts/demo/payments.local.yml',
    fault: { addedLatencyMs: 15 },
    expectedExit: 1,
  },
  {
    workload: 'product-search',
    version: '1.1.0',
    story: 'healthy',
    policy: 'scripts/demo/product-search.local.yml',
    expectedExit: 0,
  },
  {
    workload: 'product-search',
    version: '1.2.0',
    story: 'fails 10% of searches',
    policy: 'scripts/demo/product-search.local.yml',
    fault: { errorRate: 0.1 },
    expectedExit: 1,
  },
];
