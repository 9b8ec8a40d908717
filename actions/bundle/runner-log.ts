/**
 * A step's stdout as a runner's log viewer shows it, for a terminal: `::group::` titles as headings,
 * `::endgroup::` gone, `::error::`/`::warning::` as labelled lines, the commands' escapes undone.
 * (GitHub renders these; a terminal would show the raw commands.)
 */
export function renderRunnerLine(line: string): string | undefined {
  const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line);
  if (!command) return line;
  const [, name, message = ''] = command;
  const text = unescapeCommandData(message);
  switch (name) {
    case 'group':
      return `▸ ${text}`;
    case 'endgroup':
      return undefined;
    case 'error':
    case 'warning':
    case 'notice':
      return `${name}: ${text}`;
    default:
      return name === 'debug' ? undefined : line;
  }
}

/**
 * The inverse of @actions/core's escapes (`escapeData` for messages, `escapeProperty` for `key=value`
 * properties, which also escapes `:` and `,`); `%` is escaped first, so `%25` is undone last.
 */
export function unescapeCommandData(text: string): string {
  return text
    .replaceAll('%0D', '\r')
    .replaceAll('%0A', '\n')
    .replaceAll('%3A', ':')
    .replaceAll('%2C', ',')
    .replaceAll('%25', '%');
}
