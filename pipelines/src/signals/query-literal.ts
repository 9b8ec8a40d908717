// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to refuse control characters
const UNQUOTABLE = /["\\\u0000-\u001f\u007f]/;

/**
 * `value` in double quotes, for an X-Ray filter expression or a Logs Insights query. X-Ray's filter
 * language wants string values "always in quotation marks" and defines no escape (X-Ray developer guide,
 * filter expressions), so a value with a quote, a backslash or a control character is refused rather
 * than escaped in a way one of the two languages might read differently.
 */
export function quoted(value: string, what: string): string {
  if (value === '' || UNQUOTABLE.test(value)) {
    throw new Error(
      `the ${what} ${JSON.stringify(value)} cannot be put in a trace query: it must be non-empty, without quotes, backslashes or control characters`,
    );
  }
  return `"${value}"`;
}
