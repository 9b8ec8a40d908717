import { randomUUID } from 'node:crypto';
import type {
  AliasConfiguration,
  CreateAliasRequest,
  FunctionConfiguration,
  GetAliasRequest,
  GetFunctionConfigurationRequest,
  GetFunctionRequest,
  GetFunctionResponse,
  ListVersionsByFunctionRequest,
  ListVersionsByFunctionResponse,
  PublishVersionRequest,
  UpdateAliasRequest,
  UpdateFunctionCodeRequest,
  UpdateFunctionConfigurationRequest,
} from '@aws-sdk/client-lambda';
import type { OperationContext, OperationHandler } from '../service';
import { checkRouting } from './alias-routing';
import { aliasConfiguration, latestConfiguration, versionConfiguration } from './function-configuration';
import type { FunctionState } from './function-state';
import type { FunctionStore } from './function-store';
import { codeChange, configurationChange } from './function-updates';
import {
  aliasExists,
  aliasNotFound,
  functionNotFound,
  invalidParameter,
  revisionMismatch,
  validationFailed,
} from './lambda-errors';

const PAGE = 50;

/** The Lambda operations Tollgate's adapters send (and CreateAlias, which provisioning uses). */
export function lambdaOperations(store: FunctionStore): Record<string, OperationHandler> {
  const unqualified = (functionName: string, context: OperationContext): FunctionState => {
    const { fn, qualifier } = store.find(context.region, functionName);
    if (qualifier !== undefined) {
      throw validationFailed(
        functionName,
        'functionName',
        'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)',
      );
    }
    return fn;
  };
  const now = (context: OperationContext) => context.clock.now();

  return {
    GetFunctionConfiguration: (input: GetFunctionConfigurationRequest, context): FunctionConfiguration => {
      const { fn, qualifier } = store.find(context.region, input.FunctionName ?? '', input.Qualifier);
      return configurationAt(fn, qualifier, now(context));
    },

    GetFunction: (input: GetFunctionRequest, context): GetFunctionResponse => {
      const { fn, qualifier } = store.find(context.region, input.FunctionName ?? '', input.Qualifier);
      const { region, account, name } = fn.identity;
      return {
        Configuration: configurationAt(fn, qualifier, now(context)),
        Code: {
          RepositoryType: 'S3',
          Location: `https://awslambda-${region}-tasks.s3.${region}.amazonaws.com/snapshots/${account}/${name}-${randomUUID()}`,
        },
      };
    },

    ListVersionsByFunction: (
      input: ListVersionsByFunctionRequest,
      context,
    ): ListVersionsByFunctionResponse => {
      const fn = unqualified(input.FunctionName ?? '', context);
      const all = [
        latestConfiguration(fn, now(context)),
        ...fn.versions.map((v) => versionConfiguration(fn, v)),
      ];
      const start = input.Marker === undefined ? 0 : Number(input.Marker);
      if (!Number.isInteger(start) || start < 0 || start > all.length) {
        throw invalidParameter(`Invalid Marker: ${input.Marker}`);
      }
      const end = start + Math.min(input.MaxItems ?? PAGE, 10_000);
      return { Versions: all.slice(start, end), ...(end < all.length ? { NextMarker: String(end) } : {}) };
    },

    UpdateFunctionConfiguration: (
      input: UpdateFunctionConfigurationRequest,
      context,
    ): FunctionConfiguration => {
      const fn = unqualified(input.FunctionName ?? '', context);
      fn.update(configurationChange(input), input.RevisionId, now(context));
      return latestConfiguration(fn, now(context));
    },

    UpdateFunctionCode: (input: UpdateFunctionCodeRequest, context): FunctionConfiguration => {
      const fn = unqualified(input.FunctionName ?? '', context);
      if (input.Publish || input.DryRun || input.PublishTo !== undefined) {
        throw invalidParameter(
          'The local cloud does not model Publish, PublishTo or DryRun of UpdateFunctionCode; call PublishVersion once the update is done.',
        );
      }
      fn.update(codeChange(input), input.RevisionId, now(context));
      return latestConfiguration(fn, now(context));
    },

    PublishVersion: (input: PublishVersionRequest, context): FunctionConfiguration => {
      const fn = unqualified(input.FunctionName ?? '', context);
      const version = fn.publish(
        {
          ...(input.CodeSha256 !== undefined ? { codeSha256: input.CodeSha256 } : {}),
          ...(input.RevisionId !== undefined ? { revisionId: input.RevisionId } : {}),
          ...(input.Description !== undefined ? { description: input.Description } : {}),
        },
        now(context),
      );
      return versionConfiguration(fn, version);
    },

    GetAlias: (input: GetAliasRequest, context): AliasConfiguration => {
      const fn = unqualified(input.FunctionName ?? '', context);
      return aliasConfiguration(fn, requireAlias(fn, input.Name ?? ''));
    },

    CreateAlias: (input: CreateAliasRequest, context): AliasConfiguration => {
      const fn = unqualified(input.FunctionName ?? '', context);
      const name = input.Name ?? '';
      if (fn.alias(name)) throw aliasExists(fn.arn(name));
      const functionVersion = requireTarget(fn, input.FunctionVersion ?? '');
      const weights = { ...(input.RoutingConfig?.AdditionalVersionWeights ?? {}) };
      checkRouting(fn, functionVersion, weights);
      const alias = fn.putAlias({ name, functionVersion, description: input.Description ?? '', weights });
      return aliasConfiguration(fn, alias);
    },

    UpdateAlias: (input: UpdateAliasRequest, context): AliasConfiguration => {
      const fn = unqualified(input.FunctionName ?? '', context);
      const current = requireAlias(fn, input.Name ?? '');
      if (input.RevisionId !== undefined && input.RevisionId !== current.revisionId) throw revisionMismatch();
      const functionVersion =
        input.FunctionVersion === undefined
          ? current.functionVersion
          : requireTarget(fn, input.FunctionVersion);
      const weights = input.RoutingConfig
        ? { ...(input.RoutingConfig.AdditionalVersionWeights ?? {}) }
        : current.weights;
      checkRouting(fn, functionVersion, weights);
      const alias = fn.putAlias({
        name: current.name,
        functionVersion,
        description: input.Description ?? current.description,
        weights,
      });
      return aliasConfiguration(fn, alias);
    },
  };
}

/** $LATEST, a version, or the version an alias points at (its ARN qualified by the alias). */
function configurationAt(
  fn: FunctionState,
  qualifier: string | undefined,
  now: number,
): FunctionConfiguration {
  if (qualifier === undefined || qualifier === '$LATEST') return latestConfiguration(fn, now);
  if (/^[0-9]+$/.test(qualifier)) return versionConfiguration(fn, fn.requireVersion(qualifier));
  const alias = fn.alias(qualifier);
  if (!alias) throw functionNotFound(fn.arn(qualifier));
  if (alias.functionVersion === '$LATEST')
    return { ...latestConfiguration(fn, now), FunctionArn: fn.arn(qualifier) };
  return versionConfiguration(fn, fn.requireVersion(alias.functionVersion), qualifier);
}

function requireAlias(fn: FunctionState, name: string) {
  const alias = fn.alias(name);
  if (!alias) throw aliasNotFound(fn.arn(name));
  return alias;
}

/** The version an alias may point at: $LATEST or a published version. */
function requireTarget(fn: FunctionState, ref: string): string {
  if (ref !== '$LATEST') fn.requireVersion(ref);
  return ref;
}
