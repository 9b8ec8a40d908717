import { createServer } from 'node:net';

/**
 * A port on 127.0.0.1 that was free a moment ago: bound with port 0, read, released. Another process may
 * take it before the container binds it; the caller retries with a new port when the container reports
 * EADDRINUSE.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() =>
        port > 0 ? resolve(port) : reject(new Error('the OS gave no port for 127.0.0.1:0')),
      );
    });
  });
}
