import { MemoryEnginePlatform } from './memory-engine-platform';
import { MemoryScheduledPlatform } from './memory-scheduled-platform';
import type { MemoryPlatformOptions } from './memory-state';

/** An in-memory platform of either kind, with its fault injection and traffic history. */
export type MemoryPlatform = MemoryEnginePlatform | MemoryScheduledPlatform;

/** The in-memory platform that acts out `capabilities`: engine-driven or running its own schedule. */
export function createMemoryPlatform(options: MemoryPlatformOptions): MemoryPlatform {
  return options.capabilities.driver === 'engine'
    ? new MemoryEnginePlatform(options)
    : new MemoryScheduledPlatform(options);
}
