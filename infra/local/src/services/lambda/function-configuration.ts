import type { AliasConfiguration, FunctionConfiguration } from '@aws-sdk/client-lambda';
import type { AliasState, FunctionSettings, FunctionState, PublishedVersion } from './function-state';

/** Lambda's LastModified: ISO 8601 with milliseconds and a `+0000` offset. */
export function lambdaTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** $LATEST as GetFunctionConfiguration shows it, its update status as of `now`. */
export function latestConfiguration(fn: FunctionState, now: number): FunctionConfiguration {
  const { settings, revisionId, lastModified } = fn.latest;
  return {
    ...settingsView(fn, settings),
    FunctionArn: fn.arn(),
    Version: '$LATEST',
    LastModified: lambdaTimestamp(lastModified),
    RevisionId: revisionId,
    State: 'Active',
    LastUpdateStatus: fn.status(now),
  };
}

/** A published version; `arnQualifier` is the alias when it was read through one. */
export function versionConfiguration(
  fn: FunctionState,
  version: PublishedVersion,
  arnQualifier = version.version,
): FunctionConfiguration {
  return {
    ...settingsView(fn, version.settings),
    FunctionArn: fn.arn(arnQualifier),
    Version: version.version,
    LastModified: lambdaTimestamp(version.lastModified),
    RevisionId: version.revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
  };
}

function settingsView(fn: FunctionState, settings: FunctionSettings): FunctionConfiguration {
  return {
    FunctionName: fn.identity.name,
    Runtime: settings.runtime as FunctionConfiguration['Runtime'],
    Role: settings.role,
    Handler: settings.handler,
    CodeSize: settings.code.byteLength,
    Description: settings.description,
    Timeout: settings.timeout,
    MemorySize: settings.memorySize,
    CodeSha256: settings.codeSha256,
    Environment: { Variables: { ...settings.environment } },
    TracingConfig: { Mode: 'Active' },
    PackageType: 'Zip',
    Architectures: settings.architectures as FunctionConfiguration['Architectures'],
    EphemeralStorage: { Size: 512 },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'JSON', LogGroup: `/aws/lambda/${fn.identity.name}` },
  };
}

export function aliasConfiguration(fn: FunctionState, alias: AliasState): AliasConfiguration {
  const routed = Object.keys(alias.weights).length > 0;
  return {
    AliasArn: fn.arn(alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(routed ? { RoutingConfig: { AdditionalVersionWeights: { ...alias.weights } } } : {}),
    RevisionId: alias.revisionId,
  };
}
