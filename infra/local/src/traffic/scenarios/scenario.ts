/** One request a scenario wants sent. */
export type TrafficCall =
  | {
      kind: 'http';
      method: 'GET' | 'POST';
      /** Path and query (`/search?q=tea`). */
      path: string;
      headers?: Record<string, string>;
      body?: unknown;
      /** Sees the answer (a login keeps its token). */
      onAnswer?(status: number, body: unknown): void;
    }
  | { kind: 'invoke'; payload: unknown };

/** A workload's request mix: an endless series of realistic calls. */
export interface Scenario {
  /** The entry kind the workload is reached through. */
  entry: 'http' | 'invoke';
  next(): TrafficCall;
}

export interface ScenarioOptions {
  random: () => number;
  /** Share (0–1) of calls that are a client's mistake and meant to be refused with a 4xx. */
  clientErrorShare: number;
}
