import type { VersionFault } from '../faults/fault-plan';

/** One version of a container workload to run: what ECS, EKS and App Runner ask the runtime for. */
export interface ContainerSpec {
  /** The SecureCart workload (`auth`), which names the code to run (`workloads/<workload>`). */
  workload: string;
  /** The image as the platform names it; its tag (or the RELEASE_VERSION it is given) is the version. */
  image: string;
  /** Environment of the container (RELEASE_VERSION included), as the task definition, pod or service sets it. */
  env: Record<string, string>;
  /** How the version misbehaves, if it does. */
  fault?: VersionFault;
  /** The CloudWatch Logs group its stdout and stderr go to (the task definition's awslogs group, …). */
  logGroup: string;
}

/** A running container: one local process serving HTTP on 127.0.0.1. */
export interface RunningContainer {
  readonly id: string;
  readonly spec: ContainerSpec;
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The OS process id, where the container is a local process (the process runtime's are). */
  readonly pid?: number;
  /** Resolves once `/health` answers 200; rejects if the process exits first (a crash on start). */
  readonly ready: Promise<void>;
  /** Whether the process is still running. */
  running(): boolean;
  stop(): Promise<void>;
}

/** Starts and stops the processes behind ECS tasks, Kubernetes pods and App Runner instances. */
export interface ContainerRuntime {
  start(spec: ContainerSpec): Promise<RunningContainer>;
  /** Stops every container it started. */
  stopAll(): Promise<void>;
}
