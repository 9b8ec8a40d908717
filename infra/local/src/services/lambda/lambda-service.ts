import { codeSha256 } from '@tollgate/pipelines/artifacts/code-sha256';
import type { ScaledClock } from '@tollgate/pipelines/time/scaled-clock';
import type { FaultPlan } from '../../faults/fault-plan';
import type { TelemetrySink } from '../../telemetry/sink';
import type { OperationHandler, ServiceDefinition } from '../service';
import type { FunctionIdentity, FunctionSettings, FunctionState } from './function-state';
import { DEFAULT_UPDATE_MS, FunctionStore } from './function-store';
import { lambdaOperations } from './lambda-operations';
import { type InvokeOptions, type InvokeResult, LambdaInvoker } from './runtime/lambda-invoker';

export type { InvokeOptions, InvokeResult } from './runtime/lambda-invoker';

export interface LambdaServiceOptions {
  clock: ScaledClock;
  /** Read at every invocation, so a plan changed in place reaches the next execution environment. */
  faults: FaultPlan;
  sink: TelemetrySink;
  /** `127.0.0.1:<port>` of the X-Ray daemon the functions send their segments to. */
  daemonAddress: string;
  /** Picks an alias's version by weight, [0, 1); default Math.random. */
  random?: () => number;
  /** Executions of one function at once before Lambda throttles; default 10. */
  maxConcurrency?: number;
  /** Cloud ms an update of $LATEST stays InProgress; default DEFAULT_UPDATE_MS. */
  updateMs?: number;
}

/** A function to create directly, as CloudFormation would have (provisioning). */
export interface NewFunction {
  name: string;
  account: string;
  region: string;
  workload?: string;
  code: Uint8Array;
  handler: string;
  environment: Record<string, string>;
  description?: string;
  memorySize?: number;
  /** Seconds. */
  timeout?: number;
}

export interface LambdaService {
  definition: ServiceDefinition;
  invoke(
    functionName: string,
    qualifier: string | undefined,
    payload: unknown,
    options?: InvokeOptions,
  ): Promise<InvokeResult>;
  /** Creates a function, settled (Active, its creation done), for provisioning. */
  createFunction(spec: NewFunction): FunctionState;
  /** Every function, for other services and tests to read. */
  functions(): readonly FunctionState[];
  /** Execution environments (child processes) alive now. */
  environments(): number;
  /** Their process ids. */
  processIds(): number[];
  close(): Promise<void>;
}

export function createLambdaService(options: LambdaServiceOptions): LambdaService {
  const store = new FunctionStore(options.updateMs ?? DEFAULT_UPDATE_MS);
  const invoker = new LambdaInvoker({
    store,
    sink: options.sink,
    daemonAddress: options.daemonAddress,
    faults: options.faults,
    random: options.random ?? Math.random,
    maxConcurrency: options.maxConcurrency ?? 10,
  });
  return {
    definition: {
      signingName: 'lambda',
      sdkPackage: '@aws-sdk/client-lambda',
      protocol: 'restJson1',
      operations: prewarmingPublishedVersions(lambdaOperations(store), invoker),
    },
    invoke: (functionName, qualifier, payload, invokeOptions) =>
      invoker.invoke(functionName, qualifier, payload, invokeOptions),
    createFunction: (spec) => store.create(identityOf(spec), settingsOf(spec), options.clock.now()),
    functions: () => store.all,
    environments: () => invoker.environments,
    processIds: () => invoker.pids,
    close: () => invoker.close(),
  };
}

function identityOf(spec: NewFunction): FunctionIdentity {
  const { name, account, region, workload } = spec;
  return workload === undefined ? { name, account, region } : { name, account, region, workload };
}

function settingsOf(spec: NewFunction): FunctionSettings {
  return {
    description: spec.description ?? '',
    handler: spec.handler,
    runtime: 'nodejs20.x',
    memorySize: spec.memorySize ?? 512,
    timeout: spec.timeout ?? 10,
    role: `arn:aws:iam::${spec.account}:role/${spec.name}-fn`,
    architectures: ['arm64'],
    environment: { ...spec.environment },
    code: spec.code,
    codeSha256: codeSha256(spec.code),
  };
}

/** Environments each published version starts with (see LambdaInvoker.prewarm). */
const PREWARMED_ENVIRONMENTS = 2;

/** PublishVersion answers as before, once the new version's first environments are initialized. */
function prewarmingPublishedVersions(
  operations: Record<string, OperationHandler>,
  invoker: LambdaInvoker,
): Record<string, OperationHandler> {
  const publish = operations.PublishVersion;
  if (!publish) return operations;
  return {
    ...operations,
    PublishVersion: async (input, context) => {
      const output = (await publish(input, context)) as { FunctionName?: string; Version?: string };
      if (output.FunctionName && output.Version) {
        // Answered once they are up, as PublishVersion takes its time in AWS too: traffic shifted right
        // after it meets initialized environments.
        await invoker
          .prewarm(output.FunctionName, output.Version, PREWARMED_ENVIRONMENTS)
          .catch((error: Error) => {
            console.error(
              `the local Lambda could not prewarm ${output.FunctionName}:${output.Version}: ${error.message}`,
            );
          });
      }
      return output;
    },
  };
}
