import type { WorkflowDocument } from '../workflow-document';
import { usesOf } from '../workflow-uses';

const FULL_SHA = /^[0-9a-f]{40}$/;
const IMAGE_DIGEST = /@sha256:[0-9a-f]{64}$/;
/** `uses: owner/repo@<sha> # v1.2.3` on one line: the comment says which release the SHA is. */
const USES_LINE = /^\s*(?:-\s+)?uses:\s*(\S+)(?:\s+#\s*(.*))?$/;
const RELEASE_COMMENT = /^v\d+\.\d+\.\d+$/;

/**
 * Third-party actions pinned by anything but a full commit SHA: a tag or branch can be moved to other
 * code after review. Each pinned one needs a `# vX.Y.Z` comment saying which release the SHA is.
 * Local actions and workflows (`./…`) are the repository's own code at the run's commit.
 */
export function unpinnedActions(workflow: WorkflowDocument): string[] {
  const findings: string[] = [];
  for (const { where, uses } of usesOf(workflow)) {
    if (uses.startsWith('./')) continue;
    if (uses.startsWith('docker://')) {
      if (!IMAGE_DIGEST.test(uses))
        findings.push(`${workflow.file} ${where}: ${uses} is not pinned to an image digest`);
      continue;
    }
    const ref = uses.slice(uses.lastIndexOf('@') + 1);
    if (!uses.includes('@') || !FULL_SHA.test(ref)) {
      findings.push(`${workflow.file} ${where}: ${uses} is not pinned to a full commit SHA (40 hex digits)`);
    }
  }
  workflow.content.split('\n').forEach((line, index) => {
    const match = USES_LINE.exec(line);
    if (!match || match[1]?.startsWith('./') || match[1]?.startsWith('docker://')) return;
    if (!RELEASE_COMMENT.test(match[2]?.trim() ?? '')) {
      findings.push(
        `${workflow.file} line ${index + 1}: ${match[1]} has no "# vX.Y.Z" comment naming its release`,
      );
    }
  });
  return findings;
}
