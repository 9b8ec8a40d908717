import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { AppRunnerWorkload } from '../constructs/app-runner-service';

export interface AppRunnerStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  readonly releaseVersion: string;
}

/** product-search on App Runner. */
export class AppRunnerStack extends Stack {
  readonly productSearch: AppRunnerWorkload;

  constructor(scope: Construct, id: string, props: AppRunnerStackProps) {
    super(scope, id, props);
    this.productSearch = new AppRunnerWorkload(this, 'ProductSearch', {
      env: props.config,
      workload: 'product-search',
      releaseVersion: props.releaseVersion,
      healthCheckPath: '/health',
      p99LatencyMs: 300,
    });
  }
}
