import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ScaledClock, TimeScale } from '@tollgate/pipelines/time/scaled-clock';
import type { FaultPlan } from '../faults/fault-plan';
import { parseFaultPlan } from './fault-plan-schema';

/** Where the control API is mounted on the AwsServer. */
export const controlPathPrefix = '/_tollgate/';

/** What GET /_tollgate/clock answers: the cloud's time scale and its time now. */
export interface CloudClock extends TimeScale {
  now: number;
}

/**
 * The local cloud's own API, for the engine, tests and demos (not AWS):
 * `GET /_tollgate/clock` → the time scale every process must share; `GET /_tollgate/faults` → the live
 * fault plan; `PUT /_tollgate/faults` → replaces the live plan's contents in place (the wire layer and
 * the runtime hold the same object), after checking it.
 */
export function createControlApi(options: { clock: ScaledClock; faults: FaultPlan }) {
  const { clock, faults } = options;
  return (request: IncomingMessage, response: ServerResponse): void => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const route = `${request.method} ${path.slice(controlPathPrefix.length - 1)}`;
    if (route === 'GET /clock')
      answer(response, 200, { ...clock.timeScale, now: clock.now() } satisfies CloudClock);
    else if (route === 'GET /faults') answer(response, 200, faults);
    else if (route === 'PUT /faults')
      void readJson(request).then((body) => replaceFaults(response, faults, body));
    else {
      const message = `no ${request.method} ${path}: try GET ${controlPathPrefix}clock, GET|PUT ${controlPathPrefix}faults`;
      answer(response, 404, { message });
    }
  };
}

function replaceFaults(
  response: ServerResponse,
  faults: FaultPlan,
  body: { json: unknown } | { error: string },
): void {
  const parsed = 'json' in body ? parseFaultPlan(body.json) : undefined;
  if (!parsed)
    answer(response, 400, { message: `the fault plan is not JSON: ${'error' in body ? body.error : ''}` });
  else if ('problems' in parsed) {
    const message = `the fault plan is invalid: ${parsed.problems.join('; ')}`;
    answer(response, 400, { message, problems: parsed.problems });
  } else {
    faults.api.splice(0, faults.api.length, ...parsed.plan.api);
    faults.versions.splice(0, faults.versions.length, ...parsed.plan.versions);
    if (parsed.plan.dependencyLatency) faults.dependencyLatency = parsed.plan.dependencyLatency;
    else delete faults.dependencyLatency;
    answer(response, 200, faults);
  }
}

async function readJson(request: IncomingMessage): Promise<{ json: unknown } | { error: string }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return { json: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
  });
  response.end(text);
}
