import type { ReleaseEvent } from '../record/events';
import { offset } from '../report/format';

/** One line per event, time relative to the release start, for humans watching a terminal or a job log. */
export function progressPrinter(write: (line: string) => void): (event: ReleaseEvent) => void {
  let start: number | undefined;
  return (event) => {
    const since = start ?? event.at;
    start = since;
    const when = offset(event.at, since).padEnd(9);
    const [first = '', ...rest] = event.message.split('\n');
    write(`${when} ${event.type.padEnd(11)} ${first}`);
    for (const line of rest) write(`${' '.repeat(21)}${line}`);
  };
}
