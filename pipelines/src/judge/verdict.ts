/**
 * The four outcomes of any judgement, after Argo Rollouts' analysis: a failed measurement is data
 * (`error`), and too little data is `inconclusive`, never a pass.
 */
export type Verdict = 'pass' | 'fail' | 'inconclusive' | 'error';

/** Worst first: one failing reading fails the poll, then errors, then missing data. */
const SEVERITY: Record<Verdict, number> = { fail: 3, error: 2, inconclusive: 1, pass: 0 };

export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((worst, next) => (SEVERITY[next] > SEVERITY[worst] ? next : worst), 'pass');
}
