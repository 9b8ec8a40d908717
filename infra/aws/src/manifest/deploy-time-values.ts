import type { DeployTimeReference } from '@tollgate/pipelines/targets/alarm-rule';
import { CfnElement, CfnResource, type Stack, Token } from 'aws-cdk-lib';
import { RegionInfo } from 'aws-cdk-lib/region-info';

/** A dimension value as the manifest records it: a literal, or a reference to a deploy-time attribute. */
export type RecordedValue = string | DeployTimeReference;

/**
 * The resources whose CloudFormation values SecureCart's alarm dimensions use. `nameProperty` is the L1
 * property holding the resource's literal (deterministic) name; `ref` says what `Ref` returns: that very
 * name (`literal`, so the value is recorded as a string) or a deploy-time attribute; `getAtt` lists the
 * `Fn::GetAtt` attributes recorded as references.
 */
const RESOURCES: Record<
  string,
  {
    nameProperty: string;
    ref?: 'literal' | DeployTimeReference['Attribute'];
    getAtt?: DeployTimeReference['Attribute'][];
  }
> = {
  'AWS::Lambda::Function': { nameProperty: 'functionName', ref: 'literal' },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': { nameProperty: 'name', getAtt: ['LoadBalancerFullName'] },
  'AWS::ApiGatewayV2::Api': { nameProperty: 'name', ref: 'ApiId' },
  'AWS::AppRunner::Service': { nameProperty: 'serviceName', getAtt: ['ServiceId'] },
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Turns the CloudFormation values in one stack's resolved alarm properties (`{Ref}`, `{Fn::GetAtt}`,
 * `{Fn::Join}`) into what the manifest records, or fails saying which value it cannot record.
 * One instance per manifest build: it indexes the stack's logical ids once everything is constructed.
 */
export class DeployTimeValues {
  private readonly indexes = new Map<Stack, Map<string, CfnElement>>();

  /** `where` names the alarm and dimension for the error. */
  record(value: unknown, stack: Stack, where: string): RecordedValue {
    if (typeof value === 'string' && !Token.isUnresolved(value)) return value;
    if (isRecord(value) && Object.keys(value).length === 1) {
      const recorded = this.intrinsic(value, stack, where);
      if (recorded !== undefined) return recorded;
    }
    throw new Error(
      `${where} is ${JSON.stringify(value)}, a CloudFormation value the release manifest cannot record; ` +
        'give that resource a literal name, or teach infra/aws/src/manifest/deploy-time-values.ts its attribute',
    );
  }

  private intrinsic(value: Record<string, unknown>, stack: Stack, where: string): RecordedValue | undefined {
    const ref = value.Ref;
    if (typeof ref === 'string') return this.ref(ref, stack);
    const getAtt = value['Fn::GetAtt'];
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string') {
      return this.getAtt(getAtt[0], getAtt[1], stack);
    }
    const join = value['Fn::Join'];
    if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
      const parts = join[1].map((part) => this.record(part, stack, where));
      // A deploy-time attribute inside a longer string has no recorded form.
      if (parts.every((part) => typeof part === 'string')) return parts.join(join[0]);
    }
    return undefined;
  }

  private ref(logicalId: string, stack: Stack): RecordedValue | undefined {
    const pseudo = pseudoParameter(logicalId, stack);
    if (pseudo !== undefined) return pseudo;
    const found = this.resource(logicalId, stack);
    if (!found?.kind.ref) return undefined;
    return found.kind.ref === 'literal' ? found.name : { Ref: found.name, Attribute: found.kind.ref };
  }

  private getAtt(logicalId: string, attribute: string, stack: Stack): RecordedValue | undefined {
    const found = this.resource(logicalId, stack);
    const recorded = found?.kind.getAtt?.find((a) => a === attribute);
    return found && recorded ? { Ref: found.name, Attribute: recorded } : undefined;
  }

  private resource(logicalId: string, stack: Stack) {
    const element = this.index(stack).get(logicalId);
    if (!element || !CfnResource.isCfnResource(element)) return undefined;
    const kind = RESOURCES[element.cfnResourceType];
    if (!kind) return undefined;
    const name = (element as unknown as Record<string, unknown>)[kind.nameProperty];
    if (typeof name !== 'string' || Token.isUnresolved(name)) {
      throw new Error(
        `${element.node.path} (${element.cfnResourceType}) has no literal ${kind.nameProperty}; ` +
          'a resource an alarm dimension refers to needs a deterministic name',
      );
    }
    return { kind, name };
  }

  private index(stack: Stack): Map<string, CfnElement> {
    let index = this.indexes.get(stack);
    if (!index) {
      const elements = stack.node.findAll().filter((c): c is CfnElement => CfnElement.isCfnElement(c));
      index = new Map(elements.map((e) => [stack.resolve(e.logicalId) as string, e]));
      this.indexes.set(stack, index);
    }
    return index;
  }
}

/** AWS::Partition, AWS::Region and AWS::AccountId are literal in a stack with an explicit environment. */
function pseudoParameter(name: string, stack: Stack): string | undefined {
  const literal = (v: string) => (Token.isUnresolved(v) ? undefined : v);
  if (name === 'AWS::Region') return literal(stack.region);
  if (name === 'AWS::AccountId') return literal(stack.account);
  if (name === 'AWS::Partition') {
    const region = literal(stack.region);
    return region ? RegionInfo.get(region).partition : undefined;
  }
  return undefined;
}
