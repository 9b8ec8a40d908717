import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { FaultPlan } from '../../faults/fault-plan';
import type { ContainerRuntime } from '../../runtime/container-runtime';
import type { EntryPoint } from '../../traffic/entry-point';
import type { ServiceDefinition } from '../service';
import { appRunnerOperations } from './apprunner-operations';
import type { ServiceRecord } from './service-record';
import { DEFAULT_UPDATE_TIMING, type UpdateTiming } from './service-update';

export interface AppRunnerServiceOptions {
  clock: ScaledClock;
  faults: FaultPlan;
  /** The phases of an update in cloud ms (DEFAULT_UPDATE_TIMING when absent). */
  timing?: Partial<UpdateTiming>;
}

export interface AppRunnerService {
  definition: ServiceDefinition;
  clock: ScaledClock;
  faults: FaultPlan;
  /** Adds a provisioned service; its runtime runs the instances of every later update. */
  addService(record: ServiceRecord, runtime: ContainerRuntime): void;
  /** The service record by name and account (for provisioning and entry points). */
  find(serviceName: string, account: string): ServiceRecord | undefined;
  /** The service URL's router, as `http://127.0.0.1:<port>`. */
  entryPoint(workload: string, environment: string): Extract<EntryPoint, { kind: 'http' }>;
  setEntryPoint(workload: string, environment: string, record: ServiceRecord): void;
  close(): Promise<void>;
}

/** AWS App Runner (awsJson1_0, X-Amz-Target AppRunner.<Operation>, signing name apprunner). */
export function createAppRunnerService(options: AppRunnerServiceOptions): AppRunnerService {
  const services = new Map<string, ServiceRecord>();
  const entries = new Map<string, ServiceRecord>();
  const updates = new Set<Promise<void>>();
  let runtime: ContainerRuntime | undefined;
  const starter = () => {
    if (!runtime) throw new Error('App Runner has no container runtime: provision it first');
    return { clock: options.clock, faults: options.faults, runtime };
  };
  const operations = appRunnerOperations({
    services,
    starter,
    timing: { ...DEFAULT_UPDATE_TIMING, ...options.timing },
    updates,
  });
  return {
    definition: {
      signingName: 'apprunner',
      sdkPackage: '@aws-sdk/client-apprunner',
      protocol: 'awsJson1_0',
      targetPrefix: 'AppRunner',
      operations,
    },
    clock: options.clock,
    faults: options.faults,
    addService(record, containers) {
      runtime = containers;
      services.set(record.arn, record);
    },
    find: (serviceName, account) =>
      [...services.values()].find((r) => r.name === serviceName && r.account === account),
    entryPoint(workload, environment) {
      const record = entries.get(`${workload}/${environment}`);
      if (!record) throw new Error(`no App Runner workload ${workload} in ${environment} was provisioned`);
      return { kind: 'http', url: record.router.url };
    },
    setEntryPoint(workload, environment, record) {
      entries.set(`${workload}/${environment}`, record);
    },
    async close() {
      // An update under way sleeps on cloud time; its instances are stopped here and by the runtime.
      const records = [...services.values()];
      await Promise.all(records.map((record) => record.instance?.stop()));
      await Promise.all(records.map((record) => record.router.close()));
      services.clear();
    },
  };
}
