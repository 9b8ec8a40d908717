import { relative } from 'node:path';
import { ACTION_NAMES, bundleAction } from '@tollgate/actions/bundle/bundle-action';

/**
 * `npm run bundle`: every action's `dist/*.mjs`, which `uses: ./actions/<name>` runs. The bundles are
 * built in the workflow before they are used and are not committed (see actions/README.md).
 */
const started = performance.now();
const written = (await Promise.all(ACTION_NAMES.map((name) => bundleAction(name)))).flat();
for (const file of written) console.log(relative(process.cwd(), file));
console.log(`${written.length} bundles in ${Math.round(performance.now() - started)} ms`);
