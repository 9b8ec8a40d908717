import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * What the EKS cluster provides to workloads, and the readers of their Kubernetes manifests. No aws-cdk-lib
 * here, so workload tests can check their manifests against the cluster cheaply.
 */

/** EKS Auto Mode's built-in ALB controller (https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html). */
export const AUTO_MODE_ALB_CONTROLLER = 'eks.amazonaws.com/alb';

/**
 * OTLP/HTTP endpoint of the CloudWatch agent installed by the amazon-cloudwatch-observability add-on
 * (Service `cloudwatch-agent` in namespace `amazon-cloudwatch`; Application Signals receives OTLP on 4315
 * gRPC / 4316 HTTP). Pods set it as OTEL_EXPORTER_OTLP_ENDPOINT; workloads/shared/otel.ts appends /v1/traces.
 */
export const CLOUDWATCH_AGENT_OTLP_HTTP_ENDPOINT = 'http://cloudwatch-agent.amazon-cloudwatch:4316';

/** Cluster-scoped objects applied once by a cluster admin (IngressClassParams + IngressClass). */
export const CLUSTER_BOOTSTRAP_PATH = 'infra/aws/k8s/cluster-bootstrap.yaml';

// biome-ignore lint/suspicious/noExplicitAny: Kubernetes objects are untyped YAML, checked field by field
export type KubernetesObject = Record<string, any>;

export interface KubernetesObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

export interface IngressClassInfo {
  readonly name: string;
  readonly controller: string;
  /** The IngressClassParams it points at. */
  readonly paramsName: string;
  readonly scheme: string;
}

function parseFile(file: string): KubernetesObject[] {
  const text = fs.readFileSync(file, 'utf8');
  const objects: KubernetesObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message ?? 'invalid YAML'}`);
    const obj = doc.toJS() as KubernetesObject | null;
    if (obj !== null && obj !== undefined) objects.push(obj);
  }
  return objects;
}

/**
 * The one Auto Mode IngressClass in the cluster bootstrap file, checked against its IngressClassParams:
 * controller eks.amazonaws.com/alb, parameters pointing at an IngressClassParams of the same file.
 */
export function readIngressClass(file: string): IngressClassInfo {
  const objects = parseFile(file);
  const classes = objects.filter((o) => o.kind === 'IngressClass');
  if (classes.length !== 1)
    throw new Error(`${file}: expected exactly one IngressClass, found ${classes.length}`);
  const ingressClass = classes[0] as KubernetesObject;
  const name = String(ingressClass.metadata?.name);
  const controller = ingressClass.spec?.controller;
  if (controller !== AUTO_MODE_ALB_CONTROLLER) {
    throw new Error(
      `${file}: IngressClass ${name} has controller "${controller}", expected ${AUTO_MODE_ALB_CONTROLLER}`,
    );
  }
  const ref = ingressClass.spec?.parameters ?? {};
  const params = objects.find(
    (o) =>
      o.kind === 'IngressClassParams' &&
      o.apiVersion === 'eks.amazonaws.com/v1' &&
      o.metadata?.name === ref.name,
  );
  if (ref.apiGroup !== 'eks.amazonaws.com' || ref.kind !== 'IngressClassParams' || !params) {
    throw new Error(
      `${file}: IngressClass ${name} must point at an eks.amazonaws.com/v1 IngressClassParams in the same file`,
    );
  }
  return {
    name,
    controller,
    paramsName: String(ref.name),
    scheme: String(params.spec?.scheme ?? 'internal'),
  };
}

/** The manifest files in apply order: kustomization.yaml's `resources` if present, else sorted names. */
function manifestFiles(dir: string): string[] {
  const kustomization = ['kustomization.yaml', 'kustomization.yml'].find((f) =>
    fs.existsSync(path.join(dir, f)),
  );
  if (kustomization) {
    const doc = parseAllDocuments(fs.readFileSync(path.join(dir, kustomization), 'utf8'))[0]?.toJS() as {
      resources?: unknown;
    } | null;
    const resources = doc?.resources;
    if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string')) {
      throw new Error(`${kustomization}: resources must be a list of file names`);
    }
    return resources as string[];
  }
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
}

/**
 * Every object of the workload's manifest directory (kustomization order, documents in order). Objects
 * must live in the workload's namespace (or be that Namespace itself).
 */
export function readKubernetesDocuments(dir: string, namespace: string): KubernetesObject[] {
  if (!fs.existsSync(dir)) {
    throw new Error(`Kubernetes manifests not found at ${dir}; the EKS workload needs its k8s/*.yaml`);
  }
  const objects: KubernetesObject[] = [];
  for (const file of manifestFiles(dir)) {
    for (const obj of parseFile(path.join(dir, file))) {
      const { apiVersion, kind } = obj;
      const name = obj.metadata?.name;
      if (typeof apiVersion !== 'string' || typeof kind !== 'string' || typeof name !== 'string') {
        throw new Error(`${file}: every object needs apiVersion, kind and metadata.name`);
      }
      const objectNamespace = obj.metadata?.namespace;
      if (kind === 'Namespace') {
        if (name !== namespace)
          throw new Error(`${file}: Namespace "${name}" is not the workload's "${namespace}"`);
      } else if (objectNamespace !== undefined && objectNamespace !== namespace) {
        throw new Error(
          `${file}: ${kind}/${name} is in namespace "${String(objectNamespace)}", expected "${namespace}"`,
        );
      }
      objects.push(obj);
    }
  }
  if (objects.length === 0) throw new Error(`no Kubernetes objects found in ${dir}`);
  return objects;
}

export function objectRefs(objects: readonly KubernetesObject[]): KubernetesObjectRef[] {
  return objects.map((o) => ({ apiVersion: o.apiVersion, kind: o.kind, name: o.metadata.name }));
}

/**
 * What the workload's manifests must agree on with the cluster: every Ingress uses the cluster's
 * IngressClass, and every container that exports traces sends them to the CloudWatch agent's OTLP endpoint.
 * Returns the disagreements (empty when they match), each saying what to change.
 */
export function clusterDisagreements(objects: readonly KubernetesObject[], ingressClass: string): string[] {
  const problems: string[] = [];
  for (const o of objects.filter((x) => x.kind === 'Ingress')) {
    const used = o.spec?.ingressClassName;
    if (used !== ingressClass) {
      problems.push(
        `Ingress/${o.metadata.name} uses ingressClassName "${used}"; the cluster provides "${ingressClass}"`,
      );
    }
  }
  for (const o of objects.filter((x) => x.kind === 'Deployment')) {
    for (const c of o.spec?.template?.spec?.containers ?? []) {
      const env: Array<{ name: string; value?: string }> = c.env ?? [];
      const otlp = env.find((e) => e.name === 'OTEL_EXPORTER_OTLP_ENDPOINT');
      if (otlp && otlp.value !== CLOUDWATCH_AGENT_OTLP_HTTP_ENDPOINT) {
        problems.push(
          `Deployment/${o.metadata.name} container ${c.name} sends OTLP to "${otlp.value}"; the cluster's ` +
            `collector is ${CLOUDWATCH_AGENT_OTLP_HTTP_ENDPOINT}`,
        );
      }
    }
  }
  return problems;
}
