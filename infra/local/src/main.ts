// `npm run local-cloud`: the local cloud as a process of its own, for `tollgate deploy --backend local`.
import { parseArgs } from 'node:util';
import { LOCAL_CLOUD_DEFAULT_URL } from '@tollgate/pipelines/backends/local-backend';
import { loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';
import { parseCloudFlags, USAGE } from './cli/cloud-flags';
import { startLocalCloud } from './local-cloud';
import { selectTargets } from './provisioning/target-selection';
import { startCloudTraffic } from './traffic/cloud-traffic';

async function main(argv: string[]): Promise<number> {
  let flags: ReturnType<typeof parseCloudFlags>;
  try {
    flags = parseCloudFlags(parseArgs({ args: argv, options: CLI_OPTIONS, strict: true }).values);
  } catch (error) {
    console.error(`local-cloud: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const manifest = await loadManifestFile(flags.manifest);
  try {
    selectTargets(manifest, flags.only.only);
  } catch (error) {
    console.error(`local-cloud: --only: ${(error as Error).message}`);
    return 2;
  }
  const cloud = await startLocalCloud({ manifest, scale: flags.scale, port: flags.port, ...flags.only });
  const traffic = flags.rps > 0 ? startCloudTraffic(cloud, flags.rps) : undefined;
  const running = Object.entries(cloud.manifest.workloads).flatMap(([w, e]) =>
    Object.keys(e.environments).map((env) => `${w}/${env}`),
  );
  console.log(`local cloud at ${cloud.endpoint} (time ×${flags.scale}), running ${running.join(', ')}`);
  console.log(traffic ? `traffic: ${flags.rps} requests/s to each` : 'traffic: none (--rps 0)');
  if (cloud.endpoint !== LOCAL_CLOUD_DEFAULT_URL)
    console.log(`release with AWS_ENDPOINT_URL=${cloud.endpoint}`);
  console.log(
    'release: npx tollgate deploy --backend local -p pipelines/policies/<workload>.yml -e <env> -v <version>',
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await traffic?.stop();
  await cloud.close();
  return 0;
}

const CLI_OPTIONS = {
  port: { type: 'string' },
  scale: { type: 'string' },
  only: { type: 'string' },
  rps: { type: 'string' },
  manifest: { type: 'string' },
} as const;

process.exitCode = await main(process.argv.slice(2)).catch((error: Error) => {
  console.error(`local-cloud: ${error.message}`);
  return 1;
});
