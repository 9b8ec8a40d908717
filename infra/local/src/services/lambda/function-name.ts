import { invalidParameter, validationFailed } from './lambda-errors';

/** A function reference as Lambda's FunctionName takes it, split into its parts. */
export interface FunctionReference {
  name: string;
  /** Given by a full or partial ARN. */
  account?: string;
  /** Given by a full ARN. */
  region?: string;
  /** `name:qualifier` or an ARN with a qualifier. */
  qualifier?: string;
}

const FULL_ARN =
  /^arn:aws[a-zA-Z-]*:lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$]+))?$/;
const PARTIAL_ARN = /^(\d{12}):function:([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$]+))?$/;
const NAME = /^([a-zA-Z0-9-_]+)(?::([a-zA-Z0-9-_$]+))?$/;

/**
 * Parses a function name, a partial ARN (`123456789012:function:name`) or a full ARN, each optionally
 * qualified; `qualifier` (the request's Qualifier) must agree with a qualifier the name carries.
 */
export function parseFunctionName(functionName: string, qualifier?: string): FunctionReference {
  const reference = splitName(functionName);
  if (qualifier !== undefined && reference.qualifier !== undefined && qualifier !== reference.qualifier) {
    throw invalidParameter(
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const resolved = qualifier ?? reference.qualifier;
  if (resolved !== undefined) reference.qualifier = resolved;
  else delete reference.qualifier;
  return reference;
}

function splitName(functionName: string): FunctionReference {
  const full = FULL_ARN.exec(functionName);
  if (full) return withQualifier({ region: full[1], account: full[2], name: full[3] }, full[4]);
  const partial = PARTIAL_ARN.exec(functionName);
  if (partial) return withQualifier({ account: partial[1], name: partial[2] }, partial[3]);
  const plain = NAME.exec(functionName);
  if (plain) return withQualifier({ name: plain[1] }, plain[2]);
  throw validationFailed(
    functionName,
    'functionName',
    'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
  );
}

function withQualifier(
  parts: { name: string | undefined; account?: string | undefined; region?: string | undefined },
  qualifier: string | undefined,
): FunctionReference {
  const reference: FunctionReference = { name: parts.name ?? '' };
  if (parts.account) reference.account = parts.account;
  if (parts.region) reference.region = parts.region;
  if (qualifier) reference.qualifier = qualifier;
  return reference;
}
