/** The request itself is wrong (unknown environment, unknown workload): nothing was touched. Exit code 2. */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
