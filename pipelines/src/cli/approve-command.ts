import { reasonText } from '../inputs/release-inputs';
import { approveRelease } from '../release/approve';
import type { Output } from './output';
import { openSession, runInSession, type SessionOptions } from './release-session';

export interface ApproveOptions extends SessionOptions {
  reason: string;
}

/** Lets a held step pass, recording who and why, then carries the release on through its plan. */
export async function approveCommand(options: ApproveOptions, out: Output): Promise<number> {
  const reason = reasonText(options.reason, '--reason');
  const prepared = await openSession(options);
  return runInSession(prepared, options, out, (deps) => approveRelease(prepared.request, reason, deps));
}
