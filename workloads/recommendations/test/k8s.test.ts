import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

const dir = new URL('../k8s/', import.meta.url);
const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

// biome-ignore lint/suspicious/noExplicitAny: manifests are untyped YAML, asserted field by field
type Manifest = Record<string, any>;
const manifests: Manifest[] = files.flatMap((file) =>
  parseAllDocuments(readFileSync(new URL(file, dir), 'utf8')).map((doc) => {
    expect(doc.errors, file).toEqual([]);
    return doc.toJS() as Manifest;
  }),
);
const ofKind = (kind: string) => manifests.filter((m) => m.kind === kind);
const deployments = ofKind('Deployment');
const services = ofKind('Service');
const [ingress] = ofKind('Ingress');
const ACTION = 'alb.ingress.kubernetes.io/actions.recommendations-weighted';

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('recommendations k8s manifests', () => {
  it('parse, and put every namespaced object in the recommendations namespace', () => {
    expect(ofKind('Namespace').map((n) => n.metadata.name)).toEqual(['recommendations']);
    for (const m of manifests.filter((x) => !['Namespace', 'Kustomization'].includes(x.kind))) {
      expect(m.metadata.namespace, `${m.kind}/${m.metadata.name}`).toBe('recommendations');
    }
  });

  it('have a stable and a canary Deployment whose selectors match their pod labels', () => {
    expect(deployments.map((d) => d.metadata.labels.track).sort()).toEqual(['canary', 'stable']);
    for (const d of deployments) {
      expect(d.metadata.labels.app).toBe('recommendations');
      expect(d.spec.selector.matchLabels).toEqual({ app: 'recommendations', track: d.metadata.labels.track });
      expect(matches(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
    }
  });

  it('carry the tollgate.dev/release annotation on Deployment and pods, feeding RELEASE_VERSION', () => {
    for (const d of deployments) {
      const release = d.metadata.annotations['tollgate.dev/release'];
      expect(release).toMatch(/^\d+\.\d+\.\d+/);
      expect(d.spec.template.metadata.annotations['tollgate.dev/release']).toBe(release);
      const env = d.spec.template.spec.containers[0].env;
      const fromAnnotation = env.find((e: Manifest) => e.name === 'RELEASE_VERSION');
      expect(fromAnnotation.valueFrom.fieldRef.fieldPath).toBe(
        "metadata.annotations['tollgate.dev/release']",
      );
    }
  });

  it('probe /health on the port the server listens on, as a non-root user', () => {
    for (const d of deployments) {
      const container = d.spec.template.spec.containers[0];
      const port = container.env.find((e: Manifest) => e.name === 'PORT').value;
      expect(container.ports).toEqual([{ name: 'http', containerPort: Number(port) }]);
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http' });
      expect(d.spec.template.spec.securityContext.runAsNonRoot).toBe(true);
    }
  });

  it('have one Service per track selecting exactly that Deployment', () => {
    expect(services).toHaveLength(2);
    for (const s of services) {
      const selected = deployments.filter((d) => matches(s.spec.selector, d.spec.template.metadata.labels));
      expect(selected.map((d) => d.metadata.name)).toEqual([s.metadata.name]);
      expect(s.spec.ports[0].targetPort).toBe('http');
    }
  });

  it('route the Ingress through a weighted forward action: stable 100, canary 0, summing to 100', () => {
    const backend = ingress?.spec.rules[0].http.paths[0].backend.service;
    expect(backend).toEqual({ name: 'recommendations-weighted', port: { name: 'use-annotation' } });
    const action = JSON.parse(ingress?.metadata.annotations[ACTION]);
    expect(action.type).toBe('forward');
    const groups: Array<{ serviceName: string; servicePort: string; weight: number }> =
      action.forwardConfig.targetGroups;
    expect(groups.reduce((sum, g) => sum + g.weight, 0)).toBe(100);
    expect(Object.fromEntries(groups.map((g) => [g.serviceName, g.weight]))).toEqual({
      'recommendations-stable': 100,
      'recommendations-canary': 0,
    });
    for (const g of groups) {
      const service = services.find((s) => s.metadata.name === g.serviceName);
      expect(service?.spec.ports.map((p: Manifest) => String(p.port))).toContain(g.servicePort);
    }
  });

  it('list every manifest in kustomization.yaml', () => {
    const [kustomization] = ofKind('Kustomization');
    expect([...(kustomization?.resources ?? [])].sort()).toEqual(
      files.filter((f) => f !== 'kustomization.yaml').sort(),
    );
  });
});
