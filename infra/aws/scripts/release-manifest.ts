/**
 * Regenerate infra/aws/release-manifest.json from the CDK app's constructs.
 *
 *   npx tsx infra/aws/scripts/release-manifest.ts          # write
 *   npx tsx infra/aws/scripts/release-manifest.ts --check  # exit 1 if the checked-in file drifted
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import {
  generateReleaseManifest,
  RELEASE_MANIFEST_PATH,
  renderReleaseManifest,
} from '../src/manifest/render';

const check = process.argv.includes('--check');
const manifest = generateReleaseManifest();
if (check) {
  // Compared as data: the file is kept in the repository's biome JSON format.
  const current = fs.existsSync(RELEASE_MANIFEST_PATH)
    ? fs.readFileSync(RELEASE_MANIFEST_PATH, 'utf8')
    : 'null';
  if (JSON.stringify(JSON.parse(current)) !== JSON.stringify(manifest)) {
    console.error(
      `${RELEASE_MANIFEST_PATH} is out of date; run: npx tsx infra/aws/scripts/release-manifest.ts`,
    );
    process.exit(1);
  }
  console.log(`${RELEASE_MANIFEST_PATH} is up to date`);
} else {
  fs.writeFileSync(RELEASE_MANIFEST_PATH, renderReleaseManifest(manifest));
  execFileSync('npx', ['biome', 'format', '--write', RELEASE_MANIFEST_PATH], { stdio: 'inherit' });
  console.log(`wrote ${RELEASE_MANIFEST_PATH}`);
}
