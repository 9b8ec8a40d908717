import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { readCloudClock } from '@tollgate/pipelines/backends/local-backend';
import { describe, expect, it } from 'vitest';
import { createControlApi } from '../../src/control/control-api';
import type { ServiceDefinition } from '../../src/services/service';
import { cloudStart, startTestCloud } from '../wire/test-cloud';

const ecs: ServiceDefinition = {
  signingName: 'ecs',
  sdkPackage: '@aws-sdk/client-ecs',
  protocol: 'awsJson1_1',
  operations: { DescribeServices: () => ({ services: [], failures: [] }) },
};

async function startControlledCloud() {
  const cloud = await startTestCloud([ecs]);
  cloud.server.mount('/_tollgate/', createControlApi({ clock: cloud.clock, faults: cloud.faults }));
  return cloud;
}

const put = (url: string, body: string) =>
  fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body });

describe('the control API', () => {
  it("GET /_tollgate/clock answers the time scale and the cloud time now; readCloudClock (the engine's) reads it", async () => {
    const cloud = await startControlledCloud();
    cloud.virtual.advance(500);
    const clock = await (await fetch(`${cloud.server.url}/_tollgate/clock`)).json();
    expect(clock).toEqual({ ...cloud.clock.timeScale, now: cloudStart + 30_000 });
    expect(await readCloudClock(cloud.server.url)).toEqual(cloud.clock.timeScale);
  });

  it('PUT /_tollgate/faults replaces the live plan in place: the next AWS call meets it', async () => {
    const cloud = await startControlledCloud();
    const plan = {
      api: [{ service: 'ecs', throttleShare: 1 }],
      versions: [{ workload: 'checkout', version: '1.1.0', errorRate: 0.2 }],
    };
    const response = await put(`${cloud.server.url}/_tollgate/faults`, JSON.stringify(plan));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual(plan);
    expect(cloud.faults).toEqual(plan);
    expect(await (await fetch(`${cloud.server.url}/_tollgate/faults`)).json()).toEqual(plan);
    const client = new ECSClient({ ...cloud.client, maxAttempts: 1 });
    const error = await client.send(new DescribeServicesCommand({ services: ['checkout'] })).catch((e) => e);
    expect(error.name).toBe('ThrottlingException');
    await put(`${cloud.server.url}/_tollgate/faults`, JSON.stringify({ api: [], versions: [] }));
    expect(
      (await client.send(new DescribeServicesCommand({ services: ['checkout'] }))).$metadata.httpStatusCode,
    ).toBe(200);
  });

  it('answers a bad plan with 400 naming each field, and leaves the live plan alone', async () => {
    const cloud = await startControlledCloud();
    cloud.faults.api.push({ delayMs: 5 });
    const bad = {
      api: [{ throttleShare: 1.5 }, { outage: { from: 10, to: 5 } }],
      versions: [{ workload: 'checkout', version: '1.1.0', typo: true }],
    };
    const response = await put(`${cloud.server.url}/_tollgate/faults`, JSON.stringify(bad));
    expect(response.status).toBe(400);
    const body = (await response.json()) as { problems: string[]; message: string };
    expect(body.problems).toEqual([
      'api[0].throttleShare: Too big: expected number to be <=1',
      'api[1].outage: an outage must end after it starts (to > from)',
      'versions[0]: Unrecognized key: "typo"',
    ]);
    expect(body.message).toMatch(/^the fault plan is invalid: api\[0\]\.throttleShare/);
    expect(cloud.faults).toEqual({ api: [{ delayMs: 5 }], versions: [] });
    const notJson = await put(`${cloud.server.url}/_tollgate/faults`, '{api:');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { message: string }).message).toMatch(/^the fault plan is not JSON: /);
  });
});
