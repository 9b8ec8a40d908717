/**
 * One IAM action an adapter sends, on what, and why. Every adapter lists its own (its tests fail on an
 * action it sends that its list lacks); backends/aws-permissions.ts gathers them per release method.
 */
export interface Permission {
  action: string;
  resource: string;
  why: string;
}
