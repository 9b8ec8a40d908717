import { apiModel } from '@tollgate/aws-api-model/api-model';
import { VirtualClock } from '@tollgate/pipelines/time/clock';
import { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import { zipSync } from 'fflate';
import { emptyFaultPlan, type FaultPlan } from '../../../src/faults/fault-plan';
import { createLambdaService, type LambdaService } from '../../../src/services/lambda/lambda-service';
import type { OperationContext } from '../../../src/services/service';
import { RecordingSink } from './recording-sink';

export const SDK = '@aws-sdk/client-lambda';
export const REGION = 'eu-west-1';
export const FN = 'securecart-production-payments';
export const ACCOUNT = '222222222222';
export const ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${FN}`;

/** A zip with one index.js, as a release would upload. */
export function zipOf(source: string): Uint8Array {
  return zipSync({ 'index.js': new TextEncoder().encode(source) });
}

export interface WorldOptions {
  faults?: FaultPlan;
  random?: () => number;
  daemonAddress?: string;
  maxConcurrency?: number;
  /** A wall clock scaled this much; default a virtual clock that moves only when told. */
  scale?: number;
}

/**
 * The Lambda service with one function (version 1 behind alias `live`), a recording sink, and the
 * operation handlers called as the wire layer calls them: input and output checked against the SDK's model.
 */
export class LambdaWorld {
  readonly virtual = new VirtualClock(Date.parse('2026-03-01T10:00:00Z'));
  readonly clock: ScaledClock;
  readonly sink = new RecordingSink();
  readonly faults: FaultPlan;
  readonly service: LambdaService;

  constructor(options: WorldOptions = {}) {
    const origin = {
      cloudOrigin: this.virtual.now(),
      realOrigin: options.scale ? Date.now() : this.virtual.now(),
    };
    this.clock = options.scale
      ? new ScaledClock({ ...origin, scale: options.scale })
      : new ScaledClock({ ...origin, scale: 1 }, this.virtual);
    this.faults = options.faults ?? emptyFaultPlan();
    this.service = createLambdaService({
      clock: this.clock,
      faults: this.faults,
      sink: this.sink,
      daemonAddress: options.daemonAddress ?? '127.0.0.1:2000',
      ...(options.random ? { random: options.random } : {}),
      ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}),
    });
  }

  /** Creates FN the way provisioning does: version 1 and alias `live` on it. */
  provision(code: Uint8Array = zipOf('exports.handler = async () => "v1";'), workload = 'payments'): void {
    const fn = this.service.createFunction({
      name: FN,
      account: ACCOUNT,
      region: REGION,
      workload,
      code,
      handler: 'index.handler',
      environment: { LOG_LEVEL: 'INFO', RELEASE_VERSION: '1.0.0' },
      description: 'Authorizes the order payment',
    });
    const version = fn.publish({ description: 'Tollgate release 1.0.0' }, this.clock.now());
    fn.putAlias({
      name: 'live',
      functionVersion: version.version,
      description: 'Production traffic',
      weights: {},
    });
  }

  get context(): OperationContext {
    return { region: REGION, clock: this.clock, requestId: 'test-request' };
  }

  /** Calls one handler as the wire layer would: a request the model allows, a response it allows. */
  // biome-ignore lint/suspicious/noExplicitAny: each operation's output shape differs; tests read members
  async call(operation: string, input: Record<string, unknown>): Promise<any> {
    const model = apiModel(SDK);
    const problems = model.inputProblems(operation, input);
    if (problems.length > 0)
      throw new Error(`the test sent ${operation} a request AWS would reject: ${problems.join('; ')}`);
    const handler = this.service.definition.operations[operation];
    if (!handler) throw new Error(`the Lambda service has no ${operation}`);
    const output = await handler(input, this.context);
    const outputProblems = model.outputProblems(operation, output);
    if (outputProblems.length > 0)
      throw new Error(`${operation} answered in a shape AWS could not send: ${outputProblems.join('; ')}`);
    return output;
  }

  /** Lets cloud time pass (the virtual clock). */
  advance(ms: number): void {
    this.virtual.advance(ms);
  }
}
