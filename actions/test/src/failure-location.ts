import { fileURLToPath } from 'node:url';

/** A place in a file, 1-based as the runner's annotations take it. */
export interface SourcePoint {
  line: number;
  column: number;
}

/** A V8 stack frame's position: `at fn (place:line:col)` or `at place:line:col`. */
const FRAME = /^ {4}at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/;
/** Any V8 frame, `at new Promise (<anonymous>)` included: where the message ends. */
const ANY_FRAME = /^ {4}at /;

/**
 * Where the failure happened in `testFile` (absolute): the first frame of the error's stack in that
 * file, which for an assertion inside a helper is the helper's call in the test. Vitest source-maps the
 * stacks it reports, so these are lines of the TypeScript source.
 */
export function failurePoint(stack: string, testFile: string): SourcePoint | undefined {
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line);
    if (match && framePath(match[1] ?? '') === testFile) {
      return { line: Number(match[2]), column: Number(match[3]) };
    }
  }
  return undefined;
}

/** The error's message: its stack without the frames (an assertion's message can span lines). */
export function failureMessage(stack: string): string {
  const lines = stack.split('\n');
  const firstFrame = lines.findIndex((line) => ANY_FRAME.test(line));
  return (firstFrame === -1 ? lines : lines.slice(0, firstFrame)).join('\n').trim();
}

/** Frames name ES modules by `file://` URL and others by path. */
function framePath(place: string): string | undefined {
  if (!place.startsWith('file://')) return place;
  try {
    return fileURLToPath(place);
  } catch {
    return undefined;
  }
}
