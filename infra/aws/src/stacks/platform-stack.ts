import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as ecr from 'aws-cdk-lib/aws-ecr';
import type { Construct } from 'constructs';
import type { EnvironmentConfig } from '../config';
import { createImageRepository } from '../registry/image-repositories';
import { createSamplingRules } from '../registry/sampling-rules';

export interface PlatformStackProps extends StackProps {
  readonly config: EnvironmentConfig;
  /** The container workloads of this environment (one ECR repository each). */
  readonly containerWorkloads: readonly string[];
  /** The gated services and the X-Ray service names their traces carry (one sampling rule each). */
  readonly tracedServices: readonly { workload: string; xrayServiceName: string }[];
}

/**
 * What every workload of an environment shares and that must exist before them: the ECR repositories their
 * images are pushed to and pulled from, and the X-Ray sampling rules the trace gates depend on.
 */
export class PlatformStack extends Stack {
  readonly repositories: Record<string, ecr.Repository> = {};

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, props);
    for (const workload of props.containerWorkloads) {
      this.repositories[workload] = createImageRepository(this, pascal(workload), props.config, workload);
    }
    createSamplingRules(this, props.config, props.tracedServices);
  }
}

const pascal = (name: string) => name.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase());
