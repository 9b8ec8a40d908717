/**
 * Regenerate infra/aws/release-manifest.json from the CDK app's constructs.
 *
 *   npx tsx infra/aws/scripts/release-manifest.ts          # write
 *   npx tsx infra/aws/scripts/release-manifest.ts --check  # exit 1 if the checked-in file drifted
 */
import * as fs from 'node:fs';
import {
  generateReleaseManifest,
  RELEASE_MANIFEST_PATH,
  renderReleaseManifest,
} from '../src/manifest/render';

const check = process.argv.includes('--check');
const rendered = renderReleaseManifest(generateReleaseManifest());
const current = fs.existsSync(RELEASE_MANIFEST_PATH) ? fs.readFileSync(RELEASE_MANIFEST_PATH, 'utf8') : '';
if (check) {
  if (current !== rendered) {
    console.error(
      `${RELEASE_MANIFEST_PATH} is out of date; run: npx tsx infra/aws/scripts/release-manifest.ts`,
    );
    process.exit(1);
  }
  console.log(`${RELEASE_MANIFEST_PATH} is up to date`);
} else {
  fs.writeFileSync(RELEASE_MANIFEST_PATH, rendered);
  console.log(`wrote ${RELEASE_MANIFEST_PATH}`);
}
