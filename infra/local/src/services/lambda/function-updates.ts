import type { UpdateFunctionCodeRequest, UpdateFunctionConfigurationRequest } from '@aws-sdk/client-lambda';
import { codeSha256 } from '@tollgate/pipelines/artifacts/code-sha256';
import { unzipSync } from 'fflate';
import type { FunctionSettings } from './function-state';
import { invalidParameter, validationFailed } from './lambda-errors';

/** The settings UpdateFunctionConfiguration changes here; the local cloud models no other member. */
const CONFIGURATION_MEMBERS = new Set([
  'FunctionName',
  'RevisionId',
  'Environment',
  'Description',
  'Handler',
  'MemorySize',
  'Timeout',
  'Role',
  'Runtime',
  'TracingConfig',
]);

const CODE_MEMBERS = new Set([
  'FunctionName',
  'RevisionId',
  'ZipFile',
  'S3Bucket',
  'S3Key',
  'S3ObjectVersion',
  'ImageUri',
  'Architectures',
]);

/** Environment variables Lambda sets itself and refuses to take from a function's configuration. */
const RESERVED_VARIABLES = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
];

/** The change an UpdateFunctionConfiguration request makes; Environment replaces every variable. */
export function configurationChange(input: UpdateFunctionConfigurationRequest): Partial<FunctionSettings> {
  refuseUnmodelled(input, CONFIGURATION_MEMBERS, 'UpdateFunctionConfiguration');
  const change: Partial<FunctionSettings> = {};
  if (input.Environment !== undefined)
    change.environment = checkedVariables(input.Environment.Variables ?? {});
  if (input.Description !== undefined) change.description = input.Description;
  if (input.Handler !== undefined) change.handler = input.Handler;
  if (input.Role !== undefined) change.role = input.Role;
  if (input.MemorySize !== undefined)
    change.memorySize = inRange(input.MemorySize, 'memorySize', 128, 10_240);
  if (input.Timeout !== undefined) change.timeout = inRange(input.Timeout, 'timeout', 1, 900);
  if (input.Runtime !== undefined) change.runtime = nodeRuntime(input.Runtime);
  if (input.TracingConfig?.Mode === 'PassThrough') {
    throw invalidParameter(
      'The local cloud traces every function actively; TracingConfig.Mode PassThrough is not modelled.',
    );
  }
  return change;
}

/** The change an UpdateFunctionCode request makes: a zip the local cloud can unpack, nothing else. */
export function codeChange(input: UpdateFunctionCodeRequest): Partial<FunctionSettings> {
  refuseUnmodelled(input, CODE_MEMBERS, 'UpdateFunctionCode');
  if (input.ImageUri !== undefined) {
    throw invalidParameter("Please don't provide ImageUri when updating a function with packageType Zip.");
  }
  if (input.S3Bucket !== undefined || input.S3Key !== undefined) {
    if (input.ZipFile !== undefined || input.S3Bucket === undefined || input.S3Key === undefined) {
      throw invalidParameter('Please provide a source for function code: ZipFile, or S3Bucket and S3Key.');
    }
    throw invalidParameter(
      `The local cloud takes function code as a zip upload (ZipFile), not from S3 (s3://${input.S3Bucket}/${input.S3Key}); release the zip itself.`,
    );
  }
  if (input.ZipFile === undefined) {
    throw invalidParameter('Please provide a source for function code: ZipFile, or S3Bucket and S3Key.');
  }
  const code = new Uint8Array(input.ZipFile);
  try {
    unzipSync(code);
  } catch {
    throw invalidParameter(
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
  }
  const change: Partial<FunctionSettings> = { code, codeSha256: codeSha256(code) };
  if (input.Architectures !== undefined) change.architectures = [...input.Architectures];
  return change;
}

function refuseUnmodelled(input: object, modelled: ReadonlySet<string>, operation: string): void {
  const others = Object.entries(input)
    .filter(([member, value]) => value !== undefined && !modelled.has(member))
    .map(([member]) => member);
  if (others.length > 0) {
    throw invalidParameter(
      `The local cloud does not model ${others.join(', ')} of ${operation}; it takes ${[...modelled].join(', ')}.`,
    );
  }
}

function checkedVariables(variables: Record<string, string>): Record<string, string> {
  const reserved = Object.keys(variables).filter((key) => RESERVED_VARIABLES.includes(key));
  if (reserved.length > 0) {
    throw invalidParameter(
      `Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  return { ...variables };
}

function inRange(value: number, member: string, min: number, max: number): number {
  if (Number.isInteger(value) && value >= min && value <= max) return value;
  throw validationFailed(
    String(value),
    member,
    `Member must have value less than or equal to ${max}, Member must have value greater than or equal to ${min}`,
  );
}

function nodeRuntime(runtime: string): string {
  if (runtime.startsWith('nodejs')) return runtime;
  throw invalidParameter(`The local cloud runs Node.js functions only, not ${runtime}.`);
}
