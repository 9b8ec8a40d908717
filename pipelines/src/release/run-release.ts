import { errorText } from '../errors/error-text';
import { type ReleaseDeps, type ReleaseRequest, startRelease } from './context';
import { drive, readPlatform } from './drive';
import { beginRecord, concludeRelease, type ReleaseResult } from './ledger-sync';
import { trafficNow } from './platform-ops';

/**
 * One release, start to end: the platform is read (an unknown workload is bad input, and nothing is
 * recorded), the record is opened before anything moves (a ledger that refuses it throws `LedgerError`),
 * then reconcile → preflight → stage → steps → promote or roll back, then the reports and the record of
 * how it ended. Even an unexpected error ends the record, saying how traffic stands.
 */
export async function runRelease(request: ReleaseRequest, deps: ReleaseDeps): Promise<ReleaseResult> {
  const release = startRelease(request, deps);
  const traffic = await readPlatform(release);
  await beginRecord(release);
  try {
    return await concludeRelease(release, await drive(release, traffic));
  } catch (error) {
    const reason = `the release stopped on an unexpected error: ${errorText(error)}; traffic: ${await trafficNow(deps.platform)}`;
    release.log.emit('failed', reason);
    return concludeRelease(release, { outcome: 'failed', verdict: 'error', reason });
  }
}
