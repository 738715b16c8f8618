/**
 * A free TCP port on the loopback interface, for a server a test starts.
 */
import * as net from 'net';

/** A port nothing listens on now; the OS picks it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
