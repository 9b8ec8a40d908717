import { type AlarmSource, type AlarmState, type AlarmStatus, UnknownAlarmError } from './ports';

/** Alarms held in memory; tests and the demo set their states, or make reads fail. */
export class MemoryAlarms implements AlarmSource {
  private readonly alarms = new Map<string, AlarmStatus>();
  private readonly readFailures: Error[] = [];

  constructor(
    private readonly now: () => number,
    names: readonly string[] = [],
  ) {
    for (const name of names) this.set(name, 'OK', 'Threshold Crossed: no datapoints were breaching');
  }

  set(name: string, state: AlarmState, reason: string): void {
    this.alarms.set(name, { name, state, reason, updatedAt: this.now() });
  }

  delete(name: string): void {
    this.alarms.delete(name);
  }

  /** The next `times` reads throw `error`, as a throttled DescribeAlarms would. */
  failReads(error: Error, times = 1): void {
    for (let i = 0; i < times; i += 1) this.readFailures.push(error);
  }

  async states(names: readonly string[]): Promise<AlarmStatus[]> {
    const failure = this.readFailures.shift();
    if (failure) throw failure;
    const missing = names.filter((name) => !this.alarms.has(name));
    if (missing.length > 0) throw new UnknownAlarmError(missing);
    return names.map((name) => ({ ...(this.alarms.get(name) as AlarmStatus) }));
  }
}
