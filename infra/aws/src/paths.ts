import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root (two levels above infra/aws). */
export const REPO_ROOT = path.resolve(here, '..', '..', '..');
/** `workloads/`: Lambda entry points and the Docker build context of every container. */
export const WORKLOADS_DIR = path.join(REPO_ROOT, 'workloads');
