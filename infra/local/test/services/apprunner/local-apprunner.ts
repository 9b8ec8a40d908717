import * as sdk from '@aws-sdk/client-apprunner';
import { apiModel } from '@tollgate/aws-api-model/api-model';
import { AppRunnerPlatform } from '@tollgate/pipelines/platforms/apprunner/apprunner-platform';
import { type Capabilities, releaseMethods } from '@tollgate/pipelines/targets/capabilities';
import { type AppRunnerTarget, findTarget, parseReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { mockClient } from 'aws-sdk-client-mock';
import manifestJson from '../../../../aws/release-manifest.json';
import { emptyFaultPlan, type FaultPlan } from '../../../src/faults/fault-plan';
import { startWeightedRouter, type WeightedRouter } from '../../../src/runtime/weighted-router';
import {
  type AppRunnerService,
  createAppRunnerService,
} from '../../../src/services/apprunner/apprunner-service';
import { provisionAppRunner } from '../../../src/services/apprunner/provision-apprunner';
import { AwsServiceError } from '../../../src/services/service';
import { FakeRuntime } from '../../kubernetes/fake-runtime';

export const MANIFEST = parseReleaseManifest(manifestJson);
export const TARGET = findTarget(MANIFEST, 'product-search', 'production') as AppRunnerTarget;
const SDK = '@aws-sdk/client-apprunner';

export interface Metric {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  value: number;
}

export interface LocalAppRunner {
  clock: ScaledClock;
  faults: FaultPlan;
  runtime: FakeRuntime;
  service: AppRunnerService;
  client: sdk.AppRunnerClient;
  metrics: Metric[];
  /** Every request and response the handlers saw, with what the model found wrong in each. */
  problems: string[];
  calls: string[];
  platform(): AppRunnerPlatform;
  close(): Promise<void>;
}

/** App Runner provisioned from the release manifest; the SDK client's commands go to its handlers. */
export async function localAppRunner(scale = 200): Promise<LocalAppRunner> {
  const clock = new ScaledClock({
    cloudOrigin: Date.parse('2026-06-01T00:00:00Z'),
    realOrigin: Date.now(),
    scale,
  });
  const faults = emptyFaultPlan();
  const runtime = new FakeRuntime();
  const service = createAppRunnerService({ clock, faults });
  const metrics: Metric[] = [];
  const routers: WeightedRouter[] = [];
  await provisionAppRunner(service, MANIFEST, {
    runtime,
    routers: async (options) => {
      const router = await startWeightedRouter({
        sink: { metric: (datum) => metrics.push(datum) },
        ...options,
      });
      routers.push(router);
      return router;
    },
  });
  const client = new sdk.AppRunnerClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' },
    maxAttempts: 1,
  });
  const stub = mockClient(client);
  const model = apiModel(SDK);
  const problems: string[] = [];
  const calls: string[] = [];
  for (const [operation, handler] of Object.entries(service.definition.operations)) {
    const command = (
      sdk as unknown as Record<string, new (input: never) => sdk.$Command<object, object, object>>
    )[`${operation}Command`];
    if (!command) throw new Error(`@aws-sdk/client-apprunner has no ${operation}Command`);
    // biome-ignore lint/suspicious/noExplicitAny: the stub is generic over every command
    stub.on(command as any).callsFake(async (input: unknown) => {
      calls.push(operation);
      problems.push(...model.inputProblems(operation, input));
      try {
        const output = await handler(input, { region: 'eu-west-1', clock, requestId: 'req' });
        problems.push(...model.outputProblems(operation, output));
        return output;
      } catch (error) {
        if (!(error instanceof AwsServiceError)) throw error;
        const Exception = (sdk as unknown as Record<string, new (options: object) => Error>)[error.code];
        throw Exception ? new Exception({ message: error.message, $metadata: {} }) : error;
      }
    });
  }
  const capabilities = releaseMethods(TARGET)[0] as Capabilities;
  const platform = () =>
    new AppRunnerPlatform({
      workload: 'product-search',
      target: TARGET,
      capabilities,
      client,
      sleep: (ms) => clock.sleep(ms),
    });
  return {
    clock,
    faults,
    runtime,
    service,
    client,
    metrics,
    problems,
    calls,
    platform,
    close: async () => {
      stub.restore();
      await service.close();
      await Promise.all(routers.map((router) => router.close()));
    },
  };
}
