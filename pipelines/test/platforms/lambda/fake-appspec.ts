import { createHash } from 'node:crypto';
import { type CreateDeploymentInput, InvalidRevisionException } from '@aws-sdk/client-codedeploy';

/** The AppSpec of a Lambda deployment, checked as CodeDeploy checks it: its SHA-256, and a Lambda resource for this alias. */
export function lambdaAppSpecOf(
  input: CreateDeploymentInput,
  fn: { functionName: string; alias: string },
): { from: string; to: string; content: string } {
  const { revision } = input;
  const content = revision?.appSpecContent?.content ?? '';
  const sha256 = createHash('sha256').update(content).digest('hex');
  const invalid = (message: string) =>
    new InvalidRevisionException({ $metadata: { httpStatusCode: 400 }, message });
  if (revision?.revisionType !== 'AppSpecContent') throw invalid('Revision type must be AppSpecContent');
  if (revision.appSpecContent?.sha256 !== sha256)
    throw invalid('The SHA-256 of the AppSpec content does not match');
  const spec = JSON.parse(content) as {
    Resources: Record<string, { Type: string; Properties: Record<string, string> }>[];
  };
  const [resource] = Object.values(spec.Resources[0] ?? {});
  const properties = resource?.Properties ?? {};
  if (
    resource?.Type !== 'AWS::Lambda::Function' ||
    properties.Name !== fn.functionName ||
    properties.Alias !== fn.alias
  ) {
    throw invalid(`The AppSpec names no Lambda function ${fn.functionName} with alias ${fn.alias}`);
  }
  const from = properties.CurrentVersion ?? '';
  const to = properties.TargetVersion ?? '';
  if (!from || !to || from === to)
    throw invalid('The AppSpec needs different CurrentVersion and TargetVersion');
  return { from, to, content };
}
