import { info } from '@actions/core';
import { loadManifestFile } from '@tollgate/pipelines/targets/load-manifest';
import { workloadVersion } from '@tollgate/pipelines/versioning/workload-version';
import { runAction } from '../../runner/run-action';
import { buildArtifact } from './build-artifact';
import { failingOnBuildErrors } from './build-failure';
import { checkedWorkload, readBuildInputs } from './build-inputs';
import { buildPlan } from './build-plan';
import { reportBuild, versionReason } from './build-report';

await runAction(() =>
  failingOnBuildErrors(async () => {
    const inputs = readBuildInputs();
    const manifest = await loadManifestFile(inputs.manifest);
    const workload = checkedWorkload(inputs.workload, Object.keys(manifest.workloads), inputs.manifest);
    const plan = buildPlan(manifest, workload, inputs.environment);
    const root = process.cwd();
    const ref = process.env.GITHUB_REF || undefined;
    const version = await workloadVersion({ cwd: root, workload, releaseBranch: inputs.releaseBranch, ref });
    info(`${workload} ${version.version} (${versionReason(version)}) at ${version.ref}`);
    const built = await buildArtifact({
      workload,
      version: version.version,
      plan,
      root,
      outDir: inputs.outDir,
      s3Bucket: inputs.s3Bucket,
    });
    await reportBuild(workload, version, built);
  }),
);
