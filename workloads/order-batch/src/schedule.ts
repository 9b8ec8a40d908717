/** When the nightly run happens: a UTC time of day, `HH:MM` (RECONCILE_AT, default 02:00). */
export interface TimeOfDay {
  hour: number;
  minute: number;
}

export const DEFAULT_RECONCILE_AT = '02:00';

/** Parses `HH:MM` (24-hour, UTC); an unparsable value is an error, never a silent default. */
export function parseTimeOfDay(value: string | undefined): TimeOfDay {
  const text = value?.trim() || DEFAULT_RECONCILE_AT;
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59) {
    throw new Error(`RECONCILE_AT must be HH:MM in UTC (00:00-23:59), got "${text}"`);
  }
  return { hour, minute };
}

/** The first instant strictly after `now` whose UTC time of day is `at`. */
export function nextRunAt(now: Date, at: TimeOfDay): Date {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), at.hour, at.minute);
  return new Date(today > now.getTime() ? today : today + 86_400_000);
}

export function formatTimeOfDay(at: TimeOfDay): string {
  return `${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;
}
