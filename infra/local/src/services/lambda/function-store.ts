import { parseFunctionName } from './function-name';
import { type FunctionIdentity, type FunctionSettings, FunctionState } from './function-state';
import { functionNotFound } from './lambda-errors';

/** Until when an update of $LATEST is in progress, in cloud ms: a code update takes Lambda a few seconds. */
export const DEFAULT_UPDATE_MS = 2_000;

/**
 * Every function of every account the local cloud serves, by Region and name. The names of the
 * manifest's environments differ (`securecart-staging-…`, `securecart-production-…`), so a name finds
 * one function; an ARN must also name its account and Region.
 */
export class FunctionStore {
  private readonly functions = new Map<string, FunctionState>();

  constructor(private readonly updateMs = DEFAULT_UPDATE_MS) {}

  create(identity: FunctionIdentity, settings: FunctionSettings, now: number): FunctionState {
    const key = keyOf(identity.region, identity.name);
    if (this.functions.has(key)) {
      throw new Error(`function ${identity.name} already exists in ${identity.region}`);
    }
    const fn = new FunctionState(identity, settings, now, this.updateMs);
    this.functions.set(key, fn);
    return fn;
  }

  /** The function a request's FunctionName (and Qualifier) names, with the qualifier it resolved. */
  find(region: string, functionName: string, qualifier?: string): { fn: FunctionState; qualifier?: string } {
    const reference = parseFunctionName(functionName, qualifier);
    const inRegion = reference.region ?? region;
    const fn = this.functions.get(keyOf(inRegion, reference.name));
    if (!fn || (reference.account !== undefined && reference.account !== fn.identity.account)) {
      const account = reference.account ?? this.likelyAccount(reference.name);
      throw functionNotFound(`arn:aws:lambda:${inRegion}:${account}:function:${reference.name}`);
    }
    return reference.qualifier === undefined ? { fn } : { fn, qualifier: reference.qualifier };
  }

  /** Looks a function up by name in any Region (the runtime's invoke names no Region). */
  byName(name: string): FunctionState | undefined {
    return [...this.functions.values()].find((fn) => fn.identity.name === name);
  }

  get all(): readonly FunctionState[] {
    return [...this.functions.values()];
  }

  /**
   * The account a not-found ARN names when the request named none. The local cloud serves every
   * account on one endpoint without telling callers apart, so it takes the account of the function
   * whose name shares the longest prefix (`securecart-production-…` → production's).
   */
  private likelyAccount(name: string): string {
    let best: { account: string; shared: number } = { account: '000000000000', shared: -1 };
    for (const fn of this.functions.values()) {
      const shared = sharedPrefix(fn.identity.name, name);
      if (shared > best.shared) best = { account: fn.identity.account, shared };
    }
    return best.account;
  }
}

function keyOf(region: string, name: string): string {
  return `${region}/${name}`;
}

function sharedPrefix(a: string, b: string): number {
  let index = 0;
  while (index < a.length && a[index] === b[index]) index += 1;
  return index;
}
