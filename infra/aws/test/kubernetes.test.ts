import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CLOUDWATCH_AGENT_OTLP_HTTP_ENDPOINT,
  CLUSTER_BOOTSTRAP_PATH,
  clusterDisagreements,
  readIngressClass,
  readKubernetesDocuments,
} from '../src/kubernetes';
import { REPO_ROOT } from '../src/paths';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'k8s-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
};

describe('EKS cluster contract', () => {
  it('the bootstrap file defines one Auto Mode IngressClass with internal IngressClassParams', () => {
    expect(readIngressClass(path.join(REPO_ROOT, CLUSTER_BOOTSTRAP_PATH))).toEqual({
      name: 'internal-alb',
      controller: 'eks.amazonaws.com/alb',
      paramsName: 'internal-alb',
      scheme: 'internal',
    });
  });

  it('rejects an IngressClass of another controller (e.g. the self-managed AWS Load Balancer Controller)', () => {
    const file = write(
      'lbc.yaml',
      'apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata: {name: alb}\nspec: {controller: ingress.k8s.aws/alb}\n',
    );
    expect(() => readIngressClass(file)).toThrow(
      /controller "ingress.k8s.aws\/alb", expected eks.amazonaws.com\/alb/,
    );
  });

  it('names each disagreement between workload manifests and the cluster', () => {
    const objects = readKubernetesDocuments(
      path.join(REPO_ROOT, 'workloads/recommendations/k8s'),
      'recommendations',
    );
    expect(clusterDisagreements(objects, 'internal-alb')).toEqual([]);
    const drifted = structuredClone(objects);
    for (const o of drifted) {
      if (o.kind === 'Ingress') o.spec.ingressClassName = 'alb';
      if (o.kind === 'Deployment' && o.metadata.name.endsWith('canary')) {
        o.spec.template.spec.containers[0].env.find(
          (e: { name: string }) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT',
        ).value = 'http://$(HOST_IP):4318';
      }
    }
    expect(clusterDisagreements(drifted, 'internal-alb')).toEqual([
      'Ingress/recommendations uses ingressClassName "alb"; the cluster provides "internal-alb"',
      `Deployment/recommendations-canary container recommendations sends OTLP to "http://$(HOST_IP):4318"; the cluster's collector is ${CLOUDWATCH_AGENT_OTLP_HTTP_ENDPOINT}`,
    ]);
  });
});
