import type { BackendSession, BackendTarget } from './backend';
import { type MemoryBackendOptions, openMemoryBackend } from './memory-backend';

export type BackendOptions = { backend: 'memory' } & MemoryBackendOptions;

/**
 * The composition root: the only place that knows how each backend builds its ports. Commands ask it
 * for a session and never see what is behind it.
 */
export function openBackend(target: BackendTarget, options: BackendOptions): Promise<BackendSession> {
  switch (options.backend) {
    case 'memory':
      return openMemoryBackend(target, options);
  }
}
