/**
 * One IAM action an adapter sends, on what, and why. Every adapter lists its own (its tests fail on an
 * action it sends that its list lacks); backends/aws-permissions.ts gathers them per release method.
 */
export interface Permission {
  action: string;
  resource: string;
  why: string;
  /**
   * Set when no request of this name is sent: IAM checks the action while authorizing the named operation
   * (iam:PassRole on RegisterTaskDefinition, tag-on-create). The local cloud serves every other entry.
   */
  checkedOn?: string;
}
