import { z } from 'zod';

const DURATION_PATTERN = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const PERCENT_PATTERN = /^(\d+(?:\.\d+)?)%$/;

/** "90s", "5m", "1h30m" → milliseconds. */
export function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match || text === '') throw new Error(`not a duration: "${text}"`);
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}

export function formatDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const parts = [hours ? `${hours}h` : '', minutes ? `${minutes}m` : '', seconds ? `${seconds}s` : ''];
  return parts.join('') || '0s';
}

/** A duration written like "30s", "5m" or "1h30m"; parsed to milliseconds. */
export const duration = z
  .string({ error: 'expected a duration like "30s", "5m" or "1h30m"' })
  .superRefine((text, context) => {
    if (text.startsWith('-'))
      context.addIssue({ code: 'custom', message: `cannot be negative, got "${text}"` });
    else if (text === '' || !DURATION_PATTERN.test(text)) {
      context.addIssue({
        code: 'custom',
        message: `expected a duration like "30s", "5m" or "1h30m", got "${text}"`,
      });
    }
  })
  .transform(parseDuration)
  .meta({ pattern: DURATION_PATTERN.source, examples: ['30s', '5m', '1h30m'] });

/** A percentage written like "10%" or "0.5%"; parsed to a fraction (0.1, 0.005). */
export const percentage = z
  .string({ error: 'expected a percentage like "10%"' })
  .regex(PERCENT_PATTERN, { error: 'expected a percentage like "10%"' })
  .transform((text) => Number(text.slice(0, -1)) / 100);
