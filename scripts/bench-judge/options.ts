import { cellLabel } from './render';
import type { Cell, Scenario } from './traffic';

/** The value of `--name value` or `--name=value` on the command line, if given. */
export function option(name: string): string | undefined {
  const args = process.argv;
  for (const [index, arg] of args.entries()) {
    if (arg === `--${name}`) return args[index + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

/**
 * Targeted runs for iterating on the judge: `--cells 10/s·10%·heavy·xray,100/s·1%` keeps the cells
 * whose label (spaces removed) contains one of the patterns, `--scenarios healthy,slow20` the
 * scenarios, and `--runs 200` fixes the releases per cell and scenario. Any filter makes it a smoke
 * run written to results-quick/.
 */
export function filters(): {
  cell: (cell: Cell) => boolean;
  scenario: (scenario: Scenario) => boolean;
  runs: number | undefined;
} {
  const cellPatterns = option('cells')
    ?.split(',')
    .map((p) => p.replaceAll(' ', ''));
  const scenarios = option('scenarios')?.split(',');
  const runs = option('runs');
  return {
    cell: (cell) =>
      !cellPatterns || cellPatterns.some((p) => cellLabel(cell).replaceAll(' ', '').includes(p)),
    scenario: (scenario) => !scenarios || scenarios.includes(scenario),
    runs: runs === undefined ? undefined : Number(runs),
  };
}
