import type { Clock } from '../clock/clock';
import type { GateReading } from '../gates/reading';

export type ReleaseEventType =
  | 'plan'
  | 'reconcile'
  | 'preflight'
  | 'blocked'
  | 'shift'
  | 'poll'
  | 'step-passed'
  | 'step-failed'
  | 'promote'
  | 'rollback'
  | 'hold'
  | 'failed';

/** Every transition of a release, in order; logs, the report and the ledger are all built from these. */
export interface ReleaseEvent {
  at: number;
  type: ReleaseEventType;
  message: string;
  step?: number;
  weight?: number;
  readings?: GateReading[];
}

export type EventDetails = Pick<ReleaseEvent, 'step' | 'weight' | 'readings'>;

/** Collects events and hands each to the listener as it happens. */
export class EventLog {
  readonly events: ReleaseEvent[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly listener: (event: ReleaseEvent) => void = () => {},
  ) {}

  emit(type: ReleaseEventType, message: string, details: EventDetails = {}): ReleaseEvent {
    const event: ReleaseEvent = { at: this.clock.now(), type, message, ...details };
    this.events.push(event);
    this.listener(event);
    return event;
  }
}
