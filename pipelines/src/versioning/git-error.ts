/**
 * git could not answer: it is missing, the folder is not a repository, or the checkout lacks the
 * history a version is computed from. The message says which and what to do; nothing was built.
 */
export class GitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GitError';
  }
}
