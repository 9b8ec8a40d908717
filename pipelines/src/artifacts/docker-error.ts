/** docker could not build or push the image; the message says why in one sentence. Nothing was released. */
export class DockerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerError';
  }
}
