/**
 * The runner's file-command format (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV): `name=value` lines, or
 * `name<<DELIMITER` … `DELIMITER` for values of any shape, which is what `@actions/core` writes.
 */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const end = lines.indexOf(delimiter, i + 1);
      if (end < 0) throw new Error(`file command ${name}: no closing ${delimiter}`);
      values[name] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      values[line.slice(0, at)] = line.slice(at + 1);
    } else if (line.trim() !== '') {
      throw new Error(`file command line is neither name=value nor name<<delimiter: ${line}`);
    }
  }
  return values;
}

/** `INPUT_<NAME>` as the runner names an input: upper case, spaces to `_`, dashes kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}
