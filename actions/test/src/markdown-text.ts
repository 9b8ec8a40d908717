/** Characters that start Markdown syntax inline (emphasis, code, links, tables, headings). */
const MARKDOWN_SPECIAL = /[\\`*_[\]|~#]/g;

/**
 * Text (a test's name, a path) shown as itself in Markdown: syntax characters escaped, HTML
 * (which the job summary renders) made inert, and kept on one line so a table cell stays whole.
 */
export function markdownText(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replace(MARKDOWN_SPECIAL, (char) => `\\${char}`)
    .replace(/\s*\r?\n\s*/g, ' ');
}

/**
 * A fenced code block showing `text` verbatim: the fence is longer than any run of backticks in it,
 * so a message that contains a fence cannot close the block early.
 */
export function codeBlock(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return `${fence}text\n${text}\n${fence}`;
}
