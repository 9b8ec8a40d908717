import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiModel } from '@tollgate/aws-api-model/api-model';
import { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { mockClient } from 'aws-sdk-client-mock';
import type {
  ContainerRuntime,
  ContainerSpec,
  RunningContainer,
} from '../../../src/runtime/container-runtime';
import type { RouterTarget } from '../../../src/runtime/weighted-router';
import type { Router, StartRouter } from '../../../src/services/ecs/load-balancer';
import type { OperationContext, ServiceDefinition } from '../../../src/services/service';

/** Cloud time 600× faster than the wall clock: a 5-minute bake takes half a second. */
export function fastClock(scale = 600): ScaledClock {
  return new ScaledClock({ cloudOrigin: Date.parse('2026-06-01T00:00:00Z'), realOrigin: Date.now(), scale });
}

export function contextOf(clock: ScaledClock): OperationContext {
  return { region: 'eu-west-1', clock, requestId: 'test-request' };
}

/**
 * Values ECS sends that its SDK's enums do not list yet: ServiceDeployment.lifecycleStage
 * PRE_PRODUCTION_TRAFFIC_SHIFT (the ECS API reference and the doc comment of that field in
 * @aws-sdk/client-ecs list it; the field's enum lacks it). Nothing else is let through.
 */
const DOCUMENTED_NOT_IN_SDK = [/\.lifecycleStage: "PRE_PRODUCTION_TRAFFIC_SHIFT" is not one of /];

/**
 * Routes every command an SDK client sends to the service's handler (the wire layer's job, which these
 * tests stand in for): the request is checked against the SDK's model first, the response after.
 */
export function routeClient(
  // biome-ignore lint/suspicious/noExplicitAny: any SDK v3 client
  client: any,
  sdk: Record<string, unknown>,
  definition: ServiceDefinition,
  context: OperationContext,
): string[] {
  const problems: string[] = [];
  const stub = mockClient(client);
  const model = apiModel(definition.sdkPackage);
  for (const [operation, handler] of Object.entries(definition.operations)) {
    // biome-ignore lint/suspicious/noExplicitAny: the command class of the operation
    const command = sdk[`${operation}Command`] as any;
    stub.on(command).callsFake(async (input: unknown) => {
      const rejected = model.inputProblems(operation, input);
      if (rejected.length > 0)
        throw Object.assign(new Error(rejected.join('; ')), { name: 'ValidationException' });
      const output = await handler(input, context);
      const wrong = model
        .outputProblems(operation, output)
        .filter((p) => !DOCUMENTED_NOT_IN_SDK.some((d) => d.test(p)));
      problems.push(...wrong.map((problem) => `${operation}: ${problem}`));
      return output;
    });
  }
  return problems;
}

/** A container: a tiny HTTP server on 127.0.0.1 answering with its version. */
class FakeContainer implements RunningContainer {
  readonly ready: Promise<void>;
  private stopped = false;

  constructor(
    readonly id: string,
    readonly spec: ContainerSpec,
    private readonly server: Server,
    readonly url: string,
    crash: boolean,
  ) {
    this.ready = crash
      ? Promise.reject(new Error('the process exited with code 1 before /health answered'))
      : Promise.resolve();
    this.ready.catch(() => undefined);
    if (crash) this.stopped = true;
  }

  running(): boolean {
    return !this.stopped;
  }

  async stop(): Promise<void> {
    if (!this.server.listening) return;
    this.stopped = true;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** A ContainerRuntime that records what it starts and stops; a version with crashOnStart crashes. */
export class FakeRuntime implements ContainerRuntime {
  readonly started: FakeContainer[] = [];

  async start(spec: ContainerSpec): Promise<RunningContainer> {
    const version = spec.env.RELEASE_VERSION ?? '';
    const server = createServer((_req, res) => res.end(JSON.stringify({ version })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const container = new FakeContainer(
      `c${this.started.length + 1}`,
      spec,
      server,
      `http://127.0.0.1:${port}`,
      !!spec.fault?.crashOnStart,
    );
    if (spec.fault?.crashOnStart) await container.stop();
    this.started.push(container);
    return container;
  }

  running(): { version: string; image: string }[] {
    return this.started
      .filter((container) => container.running())
      .map((container) => ({
        version: container.spec.env.RELEASE_VERSION ?? '',
        image: container.spec.image,
      }));
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.started.map((container) => container.stop()));
  }
}

/** A router double: records each setTargets with the cloud time it came at. */
export class RecordingRouter implements Router {
  readonly url: string;
  readonly history: { at: number; targets: RouterTarget[] }[] = [];

  constructor(
    readonly name: string,
    private readonly clock: ScaledClock,
  ) {
    this.url = `http://router.invalid/${encodeURIComponent(name)}`;
  }

  setTargets(targets: readonly RouterTarget[]): void {
    this.history.push({ at: this.clock.now(), targets: targets.map((target) => ({ ...target })) });
  }

  /** Percent of traffic per target group over time, without repeats. */
  weights(): Record<string, number>[] {
    const seen: Record<string, number>[] = [];
    for (const { targets } of this.history) {
      const total = targets.reduce((sum, target) => sum + target.weight, 0);
      const split = Object.fromEntries(targets.map((t) => [t.id, total ? (100 * t.weight) / total : 0]));
      if (JSON.stringify(split) !== JSON.stringify(seen.at(-1))) seen.push(split);
    }
    return seen;
  }

  async close(): Promise<void> {}
}

export function recordingRouters(clock: ScaledClock): {
  routers: StartRouter;
  made: Map<string, RecordingRouter>;
} {
  const made = new Map<string, RecordingRouter>();
  const routers: StartRouter = async ({ name }) => {
    const router = new RecordingRouter(name, clock);
    made.set(name, router);
    return router;
  };
  return { routers, made };
}

/** Polls `look` on cloud time until it returns a value (bounded). */
export async function eventually<T>(
  clock: ScaledClock,
  look: () => T | undefined | Promise<T | undefined>,
  maxCloudMs = 3_600_000,
): Promise<T> {
  const until = clock.now() + maxCloudMs;
  for (;;) {
    const seen = await look();
    if (seen !== undefined) return seen;
    if (clock.now() > until) throw new Error('the condition did not hold in time');
    await clock.sleep(5_000);
  }
}
