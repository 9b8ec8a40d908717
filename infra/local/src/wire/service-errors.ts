import type { SdkModel } from './sdk-model';
import type { WireError } from './wire-message';

/**
 * The errors the wire layer answers on a service's behalf, named as that service names them: its
 * throttling error (the SDK retries every one of these names), its server fault, its answer to an
 * input its model rejects.
 */
export function throttlingError(model: SdkModel, operation: string): WireError {
  const declared = firstDeclared(model, [
    'TooManyRequestsException',
    'ThrottledException',
    'ThrottlingException',
  ]);
  const fallback =
    model.queryCompatible || model.protocol === 'awsQuery' ? 'Throttling' : 'ThrottlingException';
  return declaredError(model, declared ?? fallback, `Rate exceeded for ${operation} (an injected API fault)`);
}

export function serverFaultError(model: SdkModel, operation: string): WireError {
  const candidates = [
    'ServiceException',
    'ServerException',
    'InternalServiceErrorException',
    'InternalServiceFault',
    'InternalServerException',
  ];
  const code = firstDeclared(model, candidates) ?? 'InternalFailure';
  return {
    ...declaredError(model, code, `${operation} failed inside the service (an injected API fault)`),
    status: 500,
  };
}

export function outageError(model: SdkModel, operation: string): WireError {
  const code = firstDeclared(model, ['ServiceUnavailableException']) ?? 'ServiceUnavailable';
  return {
    code,
    message: `the service is unavailable (an injected outage), ${operation} was not run`,
    status: 503,
    members: {},
  };
}

/** Per service: the error its front door answers when a request breaks the model. */
const validationErrorNames: Record<string, { missing?: string; invalid: string }> = {
  lambda: { invalid: 'ValidationException' },
  ecs: { invalid: 'InvalidParameterException' },
  eks: { invalid: 'InvalidParameterException' },
  apprunner: { invalid: 'InvalidRequestException' },
  xray: { invalid: 'InvalidRequestException' },
  logs: { invalid: 'InvalidParameterException' },
  monitoring: { missing: 'MissingRequiredParameterException', invalid: 'InvalidParameterValueException' },
  sts: { invalid: 'ValidationError' },
};

/**
 * The input of `operation` breaks the model (`problems` from inputProblems, one per member). CodeDeploy
 * answers per field (`DeploymentIdRequiredException`, `InvalidDeploymentIdException`) where it declares
 * one; other services answer one error naming every member at fault.
 */
export function validationError(
  model: SdkModel,
  signingName: string,
  problems: readonly string[],
): WireError {
  const count = problems.length;
  const message = `${count} validation error${count === 1 ? '' : 's'} detected: ${problems.join('; ')}`;
  const first = problems[0] ?? '';
  const missing = /required member "[^"]+" is missing/.test(first);
  const code =
    (signingName === 'codedeploy' ? codeDeployFieldError(model, first, missing) : undefined) ??
    (missing ? validationErrorNames[signingName]?.missing : undefined) ??
    validationErrorNames[signingName]?.invalid ??
    'ValidationException';
  return declaredError(model, code, message);
}

function codeDeployFieldError(model: SdkModel, problem: string, missing: boolean): string | undefined {
  const member = topLevelMember(problem);
  if (!member) return undefined;
  const field = member.charAt(0).toUpperCase() + member.slice(1);
  return firstDeclared(model, [
    missing ? `${field}RequiredException` : `Invalid${field}Exception`,
    'InvalidInputException',
  ]);
}

/** `GetDeployment: required member "deploymentId" is missing` or `GetDeployment.deploymentId: ...`. */
function topLevelMember(problem: string): string | undefined {
  const required = /^[A-Za-z0-9]+: required member "([^"]+)"/.exec(problem);
  if (required) return required[1];
  return /^[A-Za-z0-9]+\.([A-Za-z0-9_]+)/.exec(problem)?.[1];
}

function firstDeclared(model: SdkModel, codes: readonly string[]): string | undefined {
  return codes.find((code) => model.errorShape(code) !== undefined);
}

/** The status the model declares for the error (`httpError`), 400 when it declares none. */
function declaredError(model: SdkModel, code: string, message: string): WireError {
  const traits = model.errorShape(code)?.[3];
  const declared =
    typeof traits === 'object' && traits !== null ? (traits as { httpError?: unknown }).httpError : undefined;
  return { code, message, status: typeof declared === 'number' ? declared : 400, members: {} };
}
