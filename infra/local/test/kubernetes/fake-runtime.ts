import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ContainerRuntime, ContainerSpec, RunningContainer } from '../../src/runtime/container-runtime';

/** One container the fake runtime started, for assertions. */
export interface StartedContainer {
  id: string;
  spec: ContainerSpec;
  version: string;
  stopped: boolean;
  crashed: boolean;
}

/**
 * The ContainerRuntime edge for the platform tests: each container is a tiny HTTP server on 127.0.0.1 that
 * answers `/health` and every other path with the version it runs, ready a few real milliseconds after it
 * starts; a spec whose fault crashes on start exits (its server closes) before it is ready.
 */
export class FakeRuntime implements ContainerRuntime {
  readonly started: StartedContainer[] = [];
  private readonly servers = new Set<Server>();

  constructor(private readonly readyAfterMs = 30) {}

  async start(spec: ContainerSpec): Promise<RunningContainer> {
    const version = spec.env.RELEASE_VERSION ?? spec.image.split(':').pop() ?? 'unknown';
    const record: StartedContainer = {
      id: `c-${this.started.length + 1}`,
      spec,
      version,
      stopped: false,
      crashed: false,
    };
    this.started.push(record);
    const server = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ version, path: request.url }));
    });
    this.servers.add(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    const close = () =>
      new Promise<void>((resolve) => {
        this.servers.delete(server);
        server.closeAllConnections();
        server.close(() => resolve());
      });
    const ready = new Promise<void>((resolve, reject) => {
      setTimeout(() => {
        if (!spec.fault?.crashOnStart) return resolve();
        record.crashed = true;
        void close().then(() => reject(new Error(`${spec.workload} ${version} exited with code 1`)));
      }, this.readyAfterMs);
    });
    ready.catch(() => undefined);
    return {
      id: record.id,
      spec,
      url: `http://127.0.0.1:${port}`,
      ready,
      running: () => !record.stopped && !record.crashed,
      stop: async () => {
        record.stopped = true;
        await close();
      },
    };
  }

  /** Containers still running, as `version` strings per image. */
  running(): StartedContainer[] {
    return this.started.filter((c) => !c.stopped && !c.crashed);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.servers].map((server) => new Promise((r) => server.close(r))));
  }
}
