import { createSocket, type Socket } from 'node:dgram';

/** A UDP socket on loopback standing in for the X-Ray daemon: it keeps every document it receives. */
export class TestDaemon {
  readonly documents: Record<string, unknown>[] = [];
  /** Datagrams that did not follow the daemon protocol. */
  readonly rejected: string[] = [];
  private constructor(
    private readonly socket: Socket,
    readonly address: string,
  ) {}

  static async start(): Promise<TestDaemon> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
    const daemon = new TestDaemon(socket, `127.0.0.1:${socket.address().port}`);
    socket.on('message', (message) => {
      const text = message.toString('utf8');
      const newline = text.indexOf('\n');
      if (text.slice(0, newline) !== '{"format":"json","version":1}') {
        daemon.rejected.push(text);
        return;
      }
      daemon.documents.push(JSON.parse(text.slice(newline + 1)) as Record<string, unknown>);
    });
    return daemon;
  }

  /** Waits (at most `timeoutMs`) until `count` documents match. */
  async waitFor(match: (document: Record<string, unknown>) => boolean, count: number, timeoutMs = 5_000) {
    const deadline = Date.now() + timeoutMs;
    while (this.documents.filter(match).length < count && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return this.documents.filter(match);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
