const DURATION_PATTERN = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export const DURATION_PATTERN_SOURCE = DURATION_PATTERN.source;

/** "90s", "5m", "1h30m" → milliseconds; anything else throws. */
export function parseDuration(text: string): number {
  const match = DURATION_PATTERN.exec(text);
  if (!match || text === '') throw new Error(`not a duration: "${text}"`);
  const [, hours = '0', minutes = '0', seconds = '0'] = match;
  return ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000;
}

export function isDuration(text: string): boolean {
  return text !== '' && DURATION_PATTERN.test(text);
}

/** 330_000 → "5m30s"; what reports, logs and error messages print. */
export function formatDuration(ms: number): string {
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const parts = [hours ? `${hours}h` : '', minutes ? `${minutes}m` : '', seconds ? `${seconds}s` : ''];
  return parts.join('') || '0s';
}
