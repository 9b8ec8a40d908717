import { createRequire } from 'node:module';
import { keyOf, type WireOperation } from './adapter-operations';

/** The official SDK package of each local service, by signing name. */
export const SDK_PACKAGES: Readonly<Record<string, string>> = {
  monitoring: '@aws-sdk/client-cloudwatch',
  lambda: '@aws-sdk/client-lambda',
  codedeploy: '@aws-sdk/client-codedeploy',
  ecs: '@aws-sdk/client-ecs',
  eks: '@aws-sdk/client-eks',
  apprunner: '@aws-sdk/client-apprunner',
  xray: '@aws-sdk/client-xray',
  logs: '@aws-sdk/client-cloudwatch-logs',
};

/** What a probe of one operation met: served (any answer but UnknownOperationException) or not. */
export interface ProbeAnswer extends WireOperation {
  served: boolean;
  /** The error name or `ok`, for the failure message. */
  answer: string;
}

interface SdkClient {
  send(command: unknown, options: { abortSignal: AbortSignal }): Promise<unknown>;
  destroy(): void;
}
type SdkClientClass = new (config: object) => SdkClient;
type SdkCommandClass = new (input: object) => unknown;

const require = createRequire(import.meta.url);
const PROBE_TIMEOUT_MS = 5_000;
/** Nothing the manifest provisions is called this, so a probe of a mutating operation changes nothing. */
const PROBE_NAME = 'tollgate-probe';

/**
 * Asks the cloud at `endpoint`, through the official client, whether it serves each operation: the
 * dispatcher answers UnknownOperationException for an operation without a handler before it validates
 * anything, so a request with only its URI labels filled tells served from not served.
 */
export async function probeOperations(
  endpoint: string,
  operations: readonly WireOperation[],
): Promise<Map<string, ProbeAnswer>> {
  const answers = new Map<string, ProbeAnswer>();
  const signingNames = [...new Set(operations.map((o) => o.signingName))];
  for (const signingName of signingNames) {
    const group = operations.filter((o) => o.signingName === signingName);
    const sdk = sdkExports(signingName);
    const client = newClient(sdk, endpoint);
    try {
      const probed = await Promise.all(group.map((operation) => probe(sdk, client, operation)));
      for (const answer of probed) answers.set(keyOf(answer), answer);
    } finally {
      client.destroy();
    }
  }
  return answers;
}

/** Every operation the SDK package of `signingName` declares (its `<Operation>$` schemas). */
export function modelOperations(signingName: string): WireOperation[] {
  return Object.entries(sdkExports(signingName))
    .filter(([key, value]) => key.endsWith('$') && Array.isArray(value) && value[0] === 9)
    .map(([, value]) => ({ signingName, operation: (value as unknown[])[2] as string }));
}

async function probe(
  sdk: Record<string, unknown>,
  client: SdkClient,
  operation: WireOperation,
): Promise<ProbeAnswer> {
  const Command = sdk[`${operation.operation}Command`] as SdkCommandClass | undefined;
  if (!Command)
    return {
      ...operation,
      served: false,
      answer: `${SDK_PACKAGES[operation.signingName]} has no such command`,
    };
  const input = Object.fromEntries(
    uriLabels(sdk[`${operation.operation}$`]).map((label) => [label, PROBE_NAME]),
  );
  try {
    await client.send(new Command(input), { abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return { ...operation, served: true, answer: 'ok' };
  } catch (error) {
    const name = (error as Error).name;
    return { ...operation, served: name !== 'UnknownOperationException', answer: name };
  }
}

/** The labels of a restJson operation's URI (`/functions/{FunctionName}/aliases/{Name}`): the client needs them. */
function uriLabels(schema: unknown): string[] {
  const traits = Array.isArray(schema) ? (schema[3] as { http?: unknown[] } | undefined) : undefined;
  const uri = traits?.http?.[1];
  return typeof uri === 'string' ? [...uri.matchAll(/\{([^{}+]+)\+?\}/g)].map((match) => match[1] ?? '') : [];
}

function sdkExports(signingName: string): Record<string, unknown> {
  const sdkPackage = SDK_PACKAGES[signingName];
  if (!sdkPackage) throw new Error(`no SDK package is known for the signing name '${signingName}'`);
  return require(sdkPackage) as Record<string, unknown>;
}

function newClient(sdk: Record<string, unknown>, endpoint: string): SdkClient {
  const name = Object.keys(sdk).find((key) => key.endsWith('Client') && key !== '__Client');
  const Client = sdk[name ?? ''] as SdkClientClass;
  return new Client({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'AKIDLOCALCLOUD', secretAccessKey: 'local-cloud-secret' },
    // Logs' StartLiveTail would prepend `stream-` to 127.0.0.1; retries would only repeat the answer.
    disableHostPrefix: true,
    maxAttempts: 1,
  });
}
