/** The message of whatever was thrown, for sentences that say what failed ("could not …: <this>"). */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
