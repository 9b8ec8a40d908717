import type { ReleaseEvent, ReleaseEventType } from '../record/events';
import type { Clock } from '../time/clock';

export type EventDetails = Pick<ReleaseEvent, 'step' | 'weight' | 'readings'>;

/** Collects events and hands each to the listener as it happens. */
export class EventLog {
  constructor(
    private readonly clock: Clock,
    readonly events: ReleaseEvent[],
    private readonly listener: (event: ReleaseEvent) => void = () => {},
  ) {}

  emit(type: ReleaseEventType, message: string, details: EventDetails = {}): ReleaseEvent {
    const event: ReleaseEvent = { at: this.clock.now(), type, message, ...details };
    this.events.push(event);
    this.listener(event);
    return event;
  }
}
