import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { AppRunnerWorkload } from '../constructs/app-runner-service';

export interface AppRunnerStackProps extends StackProps {
  readonly config: EnvironmentConfig;
}

/** product-search's p99 gate, the same on App Runner and on Fargate. */
export const PRODUCT_SEARCH_P99_MS = 300;

/**
 * product-search on App Runner: the default placement (context `securecart:productSearchPlatform`),
 * for accounts that already use App Runner; App Runner is closed to new customers since 2026-04-30.
 */
export class AppRunnerStack extends Stack {
  readonly productSearch: AppRunnerWorkload;

  constructor(scope: Construct, id: string, props: AppRunnerStackProps) {
    super(scope, id, props);
    this.productSearch = new AppRunnerWorkload(this, 'ProductSearch', {
      env: props.config,
      workload: 'product-search',
      healthCheckPath: '/health',
      p99LatencyMs: PRODUCT_SEARCH_P99_MS,
    });
  }
}
