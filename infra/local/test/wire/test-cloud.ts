import { VirtualClock } from '@tollgate/pipelines/time/clock';
import { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { onTestFinished } from 'vitest';
import { emptyFaultPlan, type FaultPlan } from '../../src/faults/fault-plan';
import type { ServiceDefinition } from '../../src/services/service';
import { type AwsServer, startAwsServer } from '../../src/wire/aws-server';

export const cloudStart = Date.parse('2026-03-01T12:00:00Z');

export interface TestCloud {
  server: AwsServer;
  clock: ScaledClock;
  virtual: VirtualClock;
  faults: FaultPlan;
  logged: string[];
  /** What every official client is built with: the local endpoint, static credentials, eu-west-1. */
  client: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
}

/** An AwsServer for one test, on a virtual clock (cloud time moves only when the test says). */
export async function startTestCloud(
  services: ServiceDefinition[],
  faults = emptyFaultPlan(),
): Promise<TestCloud> {
  const virtual = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
  const clock = new ScaledClock({ cloudOrigin: cloudStart, realOrigin: virtual.now(), scale: 60 }, virtual);
  const logged: string[] = [];
  const server = await startAwsServer({ services, clock, faults, log: (line) => logged.push(line) });
  onTestFinished(() => server.close());
  const credentials = { accessKeyId: 'AKIDLOCALCLOUD', secretAccessKey: 'local-cloud-secret' };
  return {
    server,
    clock,
    virtual,
    faults,
    logged,
    client: { endpoint: server.url, region: 'eu-west-1', credentials },
  };
}
