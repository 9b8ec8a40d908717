/**
 * aws-cdk-lib's classes declare optional members as `T | undefined` while the interfaces they
 * implement say `?: T`; with the repository's `exactOptionalPropertyTypes` TypeScript then refuses to
 * pass e.g. an `ec2.Vpc` where an `ec2.IVpc` is expected. This re-types a construct as an interface
 * it really implements (at runtime nothing changes). Use it only for that.
 */
export function asInterface<I>(construct: object): I {
  return construct as I;
}
