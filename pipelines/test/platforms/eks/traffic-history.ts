import type { TrafficChange } from '../../../src/platforms/memory-state';
import type { Snapshot } from './fake-cluster';
import type { Json } from './merge-patches';
import { weightsOf } from './recommendations-fixture';

type JsonObject = { [key: string]: Json };

interface Served {
  track: string;
  version: string;
  weight: number;
}

/** Which version each track Service served at one moment, by weight, from the objects then. */
function served(snapshot: Snapshot): Served[] {
  if (!snapshot.ingresses.recommendations) return []; // while the fixture was still being created
  const weights = weightsOf(snapshot.ingresses.recommendations);
  return Object.entries(snapshot.deployments).map(([name, deployment]) => {
    const template = (deployment.spec as JsonObject).template as JsonObject;
    const annotations = (template.metadata as JsonObject).annotations as JsonObject;
    return { track: name, version: String(annotations['tollgate.dev/release']), weight: weights[name] ?? 0 };
  });
}

function at(history: readonly Snapshot[], time: number): Snapshot {
  return (history.findLast((snapshot) => snapshot.at <= time) ?? history[0]) as Snapshot;
}

/**
 * The share (0..1) of requests `version` received at `time`, as the ALB split them by the weights then:
 * what synthetic traces are generated from, so the canary's traces follow what the adapter set.
 */
export function shareAt(history: readonly Snapshot[], version: string, time: number): number {
  const tracks = served(at(history, time));
  const total = tracks.reduce((sum, track) => sum + track.weight, 0);
  const mine = tracks
    .filter((track) => track.version === version)
    .reduce((sum, track) => sum + track.weight, 0);
  return total === 0 ? 0 : mine / total;
}

/** The history as the scenario invariant reads it: stable version, canary version and its weight. */
export function trafficChanges(history: readonly Snapshot[]): TrafficChange[] {
  const changes: TrafficChange[] = [];
  for (const snapshot of history) {
    const tracks = served(snapshot);
    const stable = tracks.find((track) => track.track.endsWith('-stable'));
    const canary = tracks.find((track) => track.track.endsWith('-canary'));
    if (!stable || !canary) continue;
    const change: TrafficChange = { at: snapshot.at, stable: stable.version, weight: 0 };
    if (canary.weight > 0 && canary.version !== stable.version) {
      change.canary = canary.version;
      change.weight = (canary.weight / (canary.weight + stable.weight)) * 100;
    }
    const last = changes.at(-1);
    if (
      last &&
      last.stable === change.stable &&
      last.canary === change.canary &&
      last.weight === change.weight
    )
      continue;
    changes.push(change);
  }
  return changes;
}
