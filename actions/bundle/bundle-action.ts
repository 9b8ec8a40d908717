import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** The actions folder: `<ACTIONS_ROOT><name>/action.yml`. */
export const ACTIONS_ROOT = fileURLToPath(new URL('../', import.meta.url));

export const ACTION_NAMES = ['build', 'test', 'deploy', 'gate', 'rollback'] as const;
export type ActionName = (typeof ACTION_NAMES)[number];

/** The entry points an action may have: `main` always, `post` when action.yml declares `runs.post`. */
const ENTRIES = ['main', 'post'] as const;

/**
 * Some bundled packages are CommonJS and call `require`, `__dirname` or `__filename`, which an ES
 * module does not have; the banner gives them the module's own.
 */
const COMMONJS_SHIM = [
  "import { createRequire as __tollgateRequire } from 'node:module';",
  "import { fileURLToPath as __tollgatePath } from 'node:url';",
  "import { dirname as __tollgateDirname } from 'node:path';",
  'const require = __tollgateRequire(import.meta.url);',
  'const __filename = __tollgatePath(import.meta.url);',
  'const __dirname = __tollgateDirname(__filename);',
].join('\n');

/**
 * Bundles one action's `src/main.ts` (and `src/post.ts`) with everything they import into
 * `dist/main.mjs` (and `dist/post.mjs`): ES modules (`@actions/core` 3 is ESM-only) for Node 20 and
 * later, so the same file runs on GitHub's node24 runners and on Node 20 here. Deterministic: the same
 * sources give the same bytes. Returns the files written.
 */
export async function bundleAction(name: ActionName, root = ACTIONS_ROOT): Promise<string[]> {
  const written: string[] = [];
  for (const entry of ENTRIES) {
    const source = `${root}${name}/src/${entry}.ts`;
    if (!(await exists(source))) continue;
    const outfile = `${root}${name}/dist/${entry}.mjs`;
    await build({
      entryPoints: [source],
      outfile,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      banner: { js: COMMONJS_SHIM },
      legalComments: 'none',
      logLevel: 'warning',
    });
    written.push(outfile);
  }
  return written;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
