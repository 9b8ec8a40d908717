/** GITHUB_STATE names shared by the deploy action's main and post steps. */
export const RELEASE_STARTED = 'release-started';
export const RELEASE_ENDED = 'release-ended';
