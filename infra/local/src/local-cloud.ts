import { bundleLambdaZip } from '@tollgate/pipelines/artifacts/bundle-lambda-zip';
import type { ReleaseManifest } from '@tollgate/pipelines/targets/manifest';
import { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { controlPathPrefix, createControlApi } from './control/control-api';
import { emptyFaultPlan, type FaultPlan } from './faults/fault-plan';
import { selectTargets, type TargetRef } from './provisioning/target-selection';
import { createProcessRuntime } from './runtime/process-runtime';
import { startWeightedRouter, type WeightedRouterOptions } from './runtime/weighted-router';
import { createAppRunnerService } from './services/apprunner/apprunner-service';
import { provisionAppRunner } from './services/apprunner/provision-apprunner';
import { createCodeDeployService } from './services/codedeploy/codedeploy-service';
import { provisionCodeDeploy } from './services/codedeploy/provision-codedeploy';
import { createEcsService } from './services/ecs/ecs-service';
import { provisionEcs } from './services/ecs/provision-ecs';
import { createEksService } from './services/eks/eks-service';
import { provisionEks } from './services/eks/provision-eks';
import { createLambdaService, type LambdaService } from './services/lambda/lambda-service';
import { provisionLambda } from './services/lambda/provision-lambda';
import type { ServiceDefinition } from './services/service';
import { createSignals, type Signals } from './signals';
import type { EntryPoint } from './traffic/entry-point';
import { startAwsServer } from './wire/aws-server';

export interface LocalCloudOptions {
  /** The release manifest the cloud provisions itself from (infra/aws/release-manifest.json). */
  manifest: ReleaseManifest;
  /** Run only these workload environments (default: every target of a platform the cloud serves). */
  only?: readonly TargetRef[];
  /** Cloud milliseconds per real millisecond (default 60: a 5-minute bake in 5 s). */
  scale?: number;
  /**
   * The fault plan to start with; it stays live (the control API and tests change it in place). Without
   * one, every version has DEFAULT_DEPENDENCY_LATENCY and nothing else misbehaves.
   */
  faults?: FaultPlan;
  /** Port on 127.0.0.1 for every AWS API and the control API (default: one the OS picks). */
  port?: number;
}

export interface LocalCloud {
  /** `http://127.0.0.1:<port>`: AWS_ENDPOINT_URL of whatever releases against this cloud. */
  endpoint: string;
  clock: ScaledClock;
  /** The live fault plan. */
  faults: FaultPlan;
  /** The manifest as the cloud runs it (narrowed to `only`). */
  manifest: ReleaseManifest;
  /** Where a workload environment's traffic enters: its load balancer, Ingress, service URL or alias. */
  entryPoint(workload: string, environment: string): EntryPoint;
  signals: Signals;
  /** Stops every process, router and server it started. */
  close(): Promise<void>;
}

export const DEFAULT_SCALE = 60;

/**
 * What SecureCart's downstream calls cost in AWS, roughly (a payment provider, DynamoDB, OpenSearch): 20 ms,
 * one request in a hundred 60 ms more. Without it the local functions answer in under a millisecond, where
 * a process's JIT warm-up alone is a +50% "regression".
 */
export const DEFAULT_DEPENDENCY_LATENCY = { addedLatencyMs: 20, tailShare: 0.01, tailLatencyMs: 60 };

/** Starts the local cloud: every service on one endpoint, provisioned from the manifest, workloads running. */
export async function startLocalCloud(options: LocalCloudOptions): Promise<LocalCloud> {
  const manifest = selectTargets(options.manifest, options.only);
  const realOrigin = Date.now();
  const clock = new ScaledClock({
    cloudOrigin: realOrigin,
    realOrigin,
    scale: options.scale ?? DEFAULT_SCALE,
  });
  const faults = options.faults ?? { ...emptyFaultPlan(), dependencyLatency: DEFAULT_DEPENDENCY_LATENCY };
  const signals = await createSignals({ clock, faults, manifest });
  const closers: (() => Promise<void>)[] = [() => signals.close()];
  const close = async () => {
    for (const stop of closers.reverse()) await stop();
  };
  try {
    const cloud = await assemble(manifest, clock, faults, signals, options.port, closers);
    return { ...cloud, clock, faults, manifest, signals, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function assemble(
  manifest: ReleaseManifest,
  clock: ScaledClock,
  faults: FaultPlan,
  signals: Signals,
  port: number | undefined,
  closers: (() => Promise<void>)[],
): Promise<Pick<LocalCloud, 'endpoint' | 'entryPoint'>> {
  const { sink } = signals;
  const alarmState = async (names: readonly string[]) =>
    Object.fromEntries(
      names.map((name) => [name, signals.cloudwatch.alarms.get(name)?.state ?? 'INSUFFICIENT_DATA']),
    );
  // An account allows 1,000 concurrent executions; 64 environments bound a laptop's processes and still absorb a
  // burst of cold starts at the demo's rates.
  const lambda = createLambdaService({
    clock,
    faults,
    sink,
    daemonAddress: signals.daemonAddress,
    maxConcurrency: 64,
  });
  closers.push(() => lambda.close());
  const ecs = createEcsService({ clock, faults, alarmState });
  closers.push(() => ecs.close());
  const codeDeploy = createCodeDeployService({
    clock,
    lambda: lambda.definition.operations,
    ecs,
    alarmState,
  });
  closers.push(() => codeDeploy.close());
  const eks = await createEksService({ clock, faults });
  closers.push(() => eks.close());
  const appRunner = createAppRunnerService({ clock, faults });
  closers.push(() => appRunner.close());
  const services: ServiceDefinition[] = [
    ...signals.definitions,
    ...[lambda, ecs, codeDeploy, eks, appRunner].map((service) => service.definition),
  ];
  const server = await startAwsServer({ services, clock, faults, ...(port === undefined ? {} : { port }) });
  closers.push(() => server.close());
  server.mount(controlPathPrefix, createControlApi({ clock, faults }));
  server.mount(signals.otlpPath, signals.otlpHandler);

  const runtime = createProcessRuntime({ sink, otlpEndpoint: `${server.url}${signals.otlpPath}` });
  closers.push(() => runtime.stopAll());
  const routers = (routerOptions: Omit<WeightedRouterOptions, 'sink'>) =>
    startWeightedRouter({ sink, ...routerOptions });
  await provisionLambda(lambda, manifest, { code: memoized(bundleLambdaZip) });
  await provisionEcs(ecs, manifest, { runtime, routers });
  provisionCodeDeploy(codeDeploy, manifest);
  await provisionEks(eks, manifest, { runtime, routers });
  await provisionAppRunner(appRunner, manifest, { runtime, routers });

  const entryPoint = (workload: string, environment: string): EntryPoint => {
    const target = manifest.workloads[workload]?.environments[environment];
    if (!target) throw new Error(`the local cloud does not run ${workload} in ${environment}`);
    switch (target.platform) {
      case 'lambda':
        return lambdaEntry(lambda, target.functionName, target.alias);
      case 'ecs':
        return ecs.entryPoint(workload, environment);
      case 'eks':
        return eks.entryPoint(workload, environment);
      case 'apprunner':
        return appRunner.entryPoint(workload, environment);
      default:
        throw new Error(`the local cloud does not run ${target.platform} workloads (${workload})`);
    }
  };
  return { endpoint: server.url, entryPoint };
}

/** A Lambda's callers (the state machine, API Gateway) invoke its alias; a function error rejects. */
function lambdaEntry(lambda: LambdaService, functionName: string, alias: string): EntryPoint {
  return {
    kind: 'invoke',
    invoke: async (payload) => {
      const result = await lambda.invoke(functionName, alias, payload);
      if (result.error) throw new Error(`${result.error.errorType}: ${result.error.errorMessage}`);
      return result.payload;
    },
  };
}

function memoized(
  bundle: (workload: string) => Promise<Uint8Array>,
): (workload: string) => Promise<Uint8Array> {
  const zips = new Map<string, Promise<Uint8Array>>();
  return (workload) => {
    let zip = zips.get(workload);
    if (!zip) {
      zip = bundle(workload);
      zips.set(workload, zip);
    }
    return zip;
  };
}
