import { z } from 'zod';
import { DURATION_PATTERN_SOURCE, isDuration, parseDuration } from '../time/duration';

const PERCENT_PATTERN = /^(\d+(?:\.\d+)?)%$/;

/** A duration written like "30s", "5m" or "1h30m"; parsed to milliseconds. */
export const duration = z
  .string({ error: 'expected a duration like "30s", "5m" or "1h30m"' })
  .superRefine((text, context) => {
    if (text.startsWith('-'))
      context.addIssue({ code: 'custom', message: `cannot be negative, got "${text}"` });
    else if (!isDuration(text)) {
      context.addIssue({
        code: 'custom',
        message: `expected a duration like "30s", "5m" or "1h30m", got "${text}"`,
      });
    }
  })
  .transform(parseDuration)
  .meta({ pattern: DURATION_PATTERN_SOURCE, examples: ['30s', '5m', '1h30m'] });

/**
 * A percentage written like "10%" or "0.5%", above 0 and at most `max` percent; parsed to a fraction
 * (0.1, 0.005). A 0% allowance puts a healthy canary exactly on the rollback boundary: any difference
 * at all, however small, rolls it back once there is enough traffic.
 */
export function percentage(max: number) {
  return z
    .string({ error: 'expected a percentage like "10%"' })
    .regex(PERCENT_PATTERN, { error: 'expected a percentage like "10%"' })
    .transform((text) => Number(text.slice(0, -1)) / 100)
    .refine((fraction) => fraction > 0, {
      error:
        'must be above 0%: with a zero allowance any difference at all, however small, rolls the canary back',
    })
    .refine((fraction) => fraction <= max / 100, { error: `cannot be over ${max}%` });
}

/** A number above 0 and at most `max`, with what it measures in the messages. */
export function positiveNumber(what: string, max: number) {
  return z
    .number({ error: `expected ${what} as a number` })
    .gt(0, { error: 'must be above 0' })
    .max(max, { error: `cannot be over ${max.toLocaleString('en-US')}` });
}

/** A whole number from `min` to `max`, with what it counts in the messages. */
export function wholeNumber(what: string, min: number, max: number) {
  return z
    .int({ error: `expected a whole number of ${what}` })
    .min(min, { error: `must be at least ${min}` })
    .max(max, { error: `cannot be over ${max.toLocaleString('en-US')}` });
}
