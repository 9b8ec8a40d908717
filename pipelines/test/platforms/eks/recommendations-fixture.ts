import { type Capabilities, releaseMethods } from '../../../src/targets/capabilities';
import { type EksTarget, eksTargetSchema } from '../../../src/targets/manifest';
import type { Json } from './merge-patches';

/**
 * SecureCart's recommendations workload as workloads/recommendations/k8s/ declares it (two Deployments
 * labelled by track, the release annotation on each and on its pod template, an Ingress whose weighted
 * forward action lists both track Services), and its EKS target as the release manifest describes it.
 */
export const NAMESPACE = 'recommendations';
export const REGISTRY = '222222222222.dkr.ecr.eu-west-1.amazonaws.com/securecart/recommendations';
export const STABLE_IMAGE = `${REGISTRY}:1.0.0`;
export const NEW_IMAGE = `${REGISTRY}@sha256:${'ab'.repeat(32)}`;
export const ACTION_KEY = 'alb.ingress.kubernetes.io/actions.recommendations-weighted';

export const EKS_TARGET: EksTarget = eksTargetSchema.parse({
  platform: 'eks',
  environment: 'production',
  account: '222222222222',
  region: 'eu-west-1',
  stack: 'SecureCart-Production-Kubernetes',
  alarms: ['securecart-production-recommendations-5xx'],
  xrayServiceName: 'recommendations',
  logGroup: '/aws/containerinsights/securecart-production-eks/application',
  clusterName: 'securecart-production-eks',
  namespace: NAMESPACE,
  objects: [
    { apiVersion: 'v1', kind: 'Namespace', name: NAMESPACE },
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'recommendations-stable' },
    { apiVersion: 'apps/v1', kind: 'Deployment', name: 'recommendations-canary' },
    { apiVersion: 'v1', kind: 'Service', name: 'recommendations-stable' },
    { apiVersion: 'v1', kind: 'Service', name: 'recommendations-canary' },
    { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'recommendations' },
  ],
  manifestsPath: 'workloads/recommendations/k8s',
});

export const EKS_CAPABILITIES: Capabilities = releaseMethods(EKS_TARGET)[0] as Capabilities;

type JsonObject = { [key: string]: Json };

export function deployment(
  track: 'stable' | 'canary',
  replicas: number,
  version = '1.0.0',
  image = STABLE_IMAGE,
): JsonObject {
  const labels = { app: 'recommendations', track };
  const annotations = { 'tollgate.dev/release': version };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `recommendations-${track}`, namespace: NAMESPACE, labels, annotations },
    spec: {
      replicas,
      revisionHistoryLimit: 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels, annotations },
        spec: {
          automountServiceAccountToken: false,
          containers: [
            {
              name: 'recommendations',
              image,
              ports: [{ name: 'http', containerPort: 8080 }],
              env: [
                { name: 'PORT', value: '8080' },
                {
                  name: 'RELEASE_VERSION',
                  valueFrom: { fieldRef: { fieldPath: "metadata.annotations['tollgate.dev/release']" } },
                },
              ],
              readinessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 5 },
            },
          ],
        },
      },
    },
  };
}

/** The annotation text as the manifest's folded YAML scalar yields it (line breaks become spaces). */
export const MANIFEST_ACTION =
  '{"type":"forward","forwardConfig":{"targetGroups":[ ' +
  '{"serviceName":"recommendations-stable","servicePort":"80","weight":100}, ' +
  '{"serviceName":"recommendations-canary","servicePort":"80","weight":0}], ' +
  '"targetGroupStickinessConfig":{"enabled":false}}}\n';

export function ingress(action = MANIFEST_ACTION): JsonObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: {
      name: 'recommendations',
      namespace: NAMESPACE,
      labels: { app: 'recommendations' },
      annotations: {
        'alb.ingress.kubernetes.io/target-type': 'ip',
        'alb.ingress.kubernetes.io/healthcheck-path': '/health',
        'alb.ingress.kubernetes.io/listen-ports': '[{"HTTP": 80}]',
        [ACTION_KEY]: action,
      },
    },
    spec: {
      ingressClassName: 'internal-alb',
      rules: [
        {
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: { service: { name: 'recommendations-weighted', port: { name: 'use-annotation' } } },
              },
            ],
          },
        },
      ],
    },
  };
}

/** The weights the Ingress gives each track Service right now, from an Ingress object. */
export function weightsOf(object: JsonObject | undefined): Record<string, number> {
  const annotations = (object?.metadata as JsonObject | undefined)?.annotations as JsonObject | undefined;
  const action = JSON.parse(String(annotations?.[ACTION_KEY])) as {
    forwardConfig: { targetGroups: { serviceName: string; weight: number }[] };
  };
  return Object.fromEntries(
    action.forwardConfig.targetGroups.map((group) => [group.serviceName, group.weight]),
  );
}
