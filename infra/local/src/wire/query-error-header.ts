import { queryErrorCode, type SdkModel } from './sdk-model';
import type { WireError } from './wire-message';

/**
 * A service that moved off awsQuery (CloudWatch) still tells its clients the old query error code,
 * `x-amzn-query-error: <Code>;<Sender|Receiver>`, and the SDK reads the error's name from it first.
 */
export function queryErrorHeader(model: SdkModel, error: WireError): string {
  const shape = model.errorShape(error.code);
  const code = (shape && queryErrorCode(shape)) ?? error.code;
  return `${code};${error.status >= 500 ? 'Receiver' : 'Sender'}`;
}
