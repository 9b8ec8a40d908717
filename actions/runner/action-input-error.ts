/** An action input that is missing or not one of the values allowed: exit 2, and nothing moved. */
export class ActionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionInputError';
  }
}
