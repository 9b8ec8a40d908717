import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { defineFulfillment } from '../src/definition';

export const ARNS = {
  fraud: 'arn:aws:lambda:eu-west-1:111111111111:function:securecart-staging-fraud-detection:live',
  payments: 'arn:aws:lambda:eu-west-1:111111111111:function:securecart-staging-payments:live',
  customerTopic: 'arn:aws:sns:eu-west-1:111111111111:securecart-staging-customer-notifications',
  supportTopic: 'arn:aws:sns:eu-west-1:111111111111:securecart-staging-support',
};

export interface AslState {
  Type: string;
  Next?: string;
  End?: boolean;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  ResultPath?: string | null;
  Retry?: Array<{
    ErrorEquals: string[];
    IntervalSeconds?: number;
    BackoffRate?: number;
    MaxAttempts?: number;
    MaxDelaySeconds?: number;
    JitterStrategy?: string;
  }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string }>;
  Choices?: Array<{ Variable: string; StringEquals?: string; Next: string }>;
  Default?: string;
  Branches?: Asl[];
  ItemsPath?: string;
  ItemProcessor?: Asl;
  Error?: string;
  Cause?: string;
}

export interface Asl {
  StartAt: string;
  States: Record<string, AslState>;
}

/** Synthesize the definition alone (imported dependencies) and return the ASL as JSON. */
export function renderFulfillmentAsl(): Asl {
  const app = new App();
  const stack = new Stack(app, 'FulfillmentDefinition', {
    env: { account: '111111111111', region: 'eu-west-1' },
  });
  const definition = defineFulfillment(stack, {
    fraudDetection: lambda.Function.fromFunctionArn(stack, 'Fraud', ARNS.fraud),
    payments: lambda.Function.fromFunctionArn(stack, 'Payments', ARNS.payments),
    inventoryTable: dynamodb.Table.fromTableName(stack, 'Inventory', 'securecart-staging-inventory'),
    customerTopic: sns.Topic.fromTopicArn(stack, 'Customer', ARNS.customerTopic),
    supportTopic: sns.Topic.fromTopicArn(stack, 'Support', ARNS.supportTopic),
  });
  new sfn.StateMachine(stack, 'StateMachine', {
    definitionBody: sfn.DefinitionBody.fromChainable(definition),
  });
  const template = Template.fromStack(stack).toJSON() as {
    Resources: Record<string, { Type: string; Properties: { DefinitionString: unknown } }>;
  };
  const machine = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::StepFunctions::StateMachine',
  );
  if (!machine) throw new Error('no state machine in the template');
  return JSON.parse(flattenJoin(machine.Properties.DefinitionString)) as Asl;
}

/** DefinitionString is a string or Fn::Join of strings and pseudo-parameter refs (partition). */
function flattenJoin(value: unknown): string {
  if (typeof value === 'string') return value;
  const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
  if (!join) throw new Error(`unexpected DefinitionString ${JSON.stringify(value)}`);
  return join[1]
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: string }).Ref;
      if (ref === 'AWS::Partition') return 'aws';
      if (ref === 'AWS::Region') return 'eu-west-1';
      if (ref === 'AWS::AccountId') return '111111111111';
      return 'TOKEN';
    })
    .join(join[0]);
}

/** What a task does when the walker reaches it: succeed, or throw an error name. */
export type TaskOutcome = 'ok' | { error: string };

export interface WalkResult {
  /** Every state entered, in order (Parallel branches are walked inline, branch by branch). */
  path: string[];
  /** Invocations per task state (first attempt plus retries). */
  attempts: Record<string, number>;
  /** Backoff before each retry, per task state (seconds, before jitter). */
  delays: Record<string, number[]>;
  /** The terminal state and its type (Succeed or Fail). */
  end: { state: string; type: string; error?: string };
}

/**
 * A small ASL walker for the constructs this definition uses (Pass, Task, Choice on StringEquals,
 * Parallel, Map, Succeed, Fail, Retry, Catch). `outcomes[state]` lists what each successive attempt
 * of that task does; when the list runs out the task succeeds. `choices[variable]` feeds Choice states.
 */
export function walk(
  asl: Asl,
  outcomes: Record<string, TaskOutcome[]>,
  choices: Record<string, string>,
): WalkResult {
  const result: WalkResult = { path: [], attempts: {}, delays: {}, end: { state: '', type: '' } };
  const failed = runMachine(asl, outcomes, choices, result);
  if (failed && result.end.type === '')
    result.end = { state: failed.state, type: 'Fail', error: failed.error };
  return result;
}

function runMachine(
  asl: Asl,
  outcomes: Record<string, TaskOutcome[]>,
  choices: Record<string, string>,
  result: WalkResult,
): { state: string; error: string } | undefined {
  let name: string | undefined = asl.StartAt;
  for (let steps = 0; name !== undefined; steps++) {
    if (steps > 100) throw new Error('walker looped');
    const state: AslState | undefined = asl.States[name];
    if (!state) throw new Error(`transition to unknown state "${name}"`);
    result.path.push(name);
    let error: string | undefined;
    switch (state.Type) {
      case 'Pass':
        break;
      case 'Succeed':
        result.end = { state: name, type: 'Succeed' };
        return undefined;
      case 'Fail':
        result.end = { state: name, type: 'Fail', ...(state.Error ? { error: state.Error } : {}) };
        return { state: name, error: state.Error ?? 'Fail' };
      case 'Choice': {
        const match: { Next: string } | undefined = state.Choices?.find(
          (c) => c.StringEquals !== undefined && choices[c.Variable] === c.StringEquals,
        );
        name = match ? match.Next : state.Default;
        continue;
      }
      case 'Task':
        error = runTask(name, state, outcomes, result);
        break;
      case 'Parallel':
        for (const branch of state.Branches ?? []) {
          const branchResult = runMachine(branch, outcomes, choices, {
            ...result,
            end: { state: '', type: '' },
          });
          if (branchResult) {
            error = branchResult.error;
            break;
          }
        }
        break;
      case 'Map': {
        const processor = state.ItemProcessor;
        if (!processor) throw new Error(`Map ${name} has no ItemProcessor`);
        const failure = runMachine(processor, outcomes, choices, { ...result, end: { state: '', type: '' } });
        if (failure) error = failure.error;
        break;
      }
      default:
        throw new Error(`walker does not support ${state.Type}`);
    }
    if (error !== undefined) {
      const handler = state.Catch?.find((c) => matches(c.ErrorEquals, error));
      if (!handler) return { state: name, error };
      name = handler.Next;
      continue;
    }
    name = state.End ? undefined : state.Next;
  }
  return undefined;
}

function runTask(
  name: string,
  state: AslState,
  outcomes: Record<string, TaskOutcome[]>,
  result: WalkResult,
): string | undefined {
  const planned = outcomes[name] ?? [];
  const retriesUsed = new Map<number, number>();
  for (;;) {
    const attempt = result.attempts[name] ?? 0;
    result.attempts[name] = attempt + 1;
    const outcome = planned[attempt] ?? 'ok';
    if (outcome === 'ok') return undefined;
    const retryIndex = (state.Retry ?? []).findIndex((r) => matches(r.ErrorEquals, outcome.error));
    const retry = state.Retry?.[retryIndex];
    const used = retriesUsed.get(retryIndex) ?? 0;
    if (!retry || used >= (retry.MaxAttempts ?? 3)) return outcome.error;
    retriesUsed.set(retryIndex, used + 1);
    const delay = (retry.IntervalSeconds ?? 1) * (retry.BackoffRate ?? 2) ** used;
    const capped = retry.MaxDelaySeconds ? Math.min(delay, retry.MaxDelaySeconds) : delay;
    result.delays[name] = [...(result.delays[name] ?? []), capped];
  }
}

function matches(errorEquals: string[], error: string): boolean {
  return errorEquals.includes(error) || errorEquals.includes('States.ALL');
}
