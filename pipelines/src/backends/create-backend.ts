import { type AwsBackendOptions, openAwsBackend } from './aws-backend';
import type { BackendSession, BackendTarget } from './backend';
import { type LocalBackendOptions, openLocalBackend } from './local-backend';
import { type MemoryBackendOptions, openMemoryBackend } from './memory-backend';

export type BackendOptions =
  | ({ backend: 'memory' } & MemoryBackendOptions)
  | ({ backend: 'aws' } & AwsBackendOptions)
  | ({ backend: 'local' } & LocalBackendOptions);

/**
 * The composition root: the only place that knows how each backend builds its ports. Commands ask it
 * for a session and never see what is behind it.
 */
export function openBackend(target: BackendTarget, options: BackendOptions): Promise<BackendSession> {
  switch (options.backend) {
    case 'memory':
      return openMemoryBackend(target, options);
    case 'aws':
      return openAwsBackend(target, options);
    case 'local':
      return openLocalBackend(target, options);
  }
}
