import { readFileSync } from 'node:fs';
import type {
  IPolicyValidationContext,
  IPolicyValidationPlugin,
  PolicyValidationPluginReport,
  PolicyViolation,
} from 'aws-cdk-lib';

/**
 * The project's own check of EKS cluster endpoints, on the synthesized templates (so it sees aws-eks-v2's
 * AWS::EKS::Cluster, which cdk-nag's EKS rules do not): a cluster's API endpoint is private, or public only
 * to listed CIDRs, none of them a whole-internet range.
 */
const EKS_ENDPOINT_RULE = 'SecureCart-EKSEndpoint';

interface Template {
  Resources?: Record<string, { Type?: string; Properties?: { ResourcesVpcConfig?: VpcConfig } }>;
}
interface VpcConfig {
  EndpointPublicAccess?: unknown;
  PublicAccessCidrs?: unknown;
}

/** Why a cluster's endpoint configuration is open, or undefined when it is private or restricted. */
export function openEndpointReason(config: VpcConfig | undefined): string | undefined {
  // EKS defaults: public endpoint on, open to 0.0.0.0/0.
  if (config?.EndpointPublicAccess === false) return undefined;
  const cidrs = config?.PublicAccessCidrs;
  if (!Array.isArray(cidrs) || cidrs.length === 0) {
    return 'public endpoint with no PublicAccessCidrs (EKS then allows 0.0.0.0/0)';
  }
  const open = cidrs.filter((c) => typeof c !== 'string' || Number(c.split('/')[1]) < 8);
  return open.length > 0 ? `public endpoint open to ${open.map(String).join(', ')}` : undefined;
}

/** Every open cluster endpoint of these templates, as validation violations. */
export function eksEndpointViolations(templatePaths: readonly string[]): PolicyViolation[] {
  const violations: PolicyViolation[] = [];
  for (const templatePath of templatePaths) {
    const template = JSON.parse(readFileSync(templatePath, 'utf8')) as Template;
    for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
      if (resource.Type !== 'AWS::EKS::Cluster') continue;
      const reason = openEndpointReason(resource.Properties?.ResourcesVpcConfig);
      if (!reason) continue;
      violations.push({
        ruleName: EKS_ENDPOINT_RULE,
        description: `EKS API endpoint is reachable from the internet: ${reason}`,
        fix: "leave securecart:<env>:eksPublicAccessCidrs unset (private endpoint) or set it to the deploy runners' egress CIDRs",
        severity: 'error',
        violatingResources: [
          { resourceLogicalId: logicalId, templatePath, locations: ['Properties/ResourcesVpcConfig'] },
        ],
      });
    }
  }
  return violations;
}

export class EksEndpointCheck implements IPolicyValidationPlugin {
  readonly name = 'SecureCartEksEndpoint';
  readonly ruleIds = [EKS_ENDPOINT_RULE];

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations = eksEndpointViolations(context.templatePaths);
    return { success: violations.length === 0, violations };
  }
}
