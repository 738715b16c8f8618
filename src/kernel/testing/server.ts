/**
 * A real Jupyter server for one integration spec file, started before its
 * tests and stopped after them; optionally with its kernels on a Kernel
 * Gateway, as `jupyter lab --gateway-url=...` runs them.
 */
import type { JSONObject } from '@lumino/coreutils';
import { JupyterServer } from '@jupyterlab/testing';
import type { KernelGateway } from './gateway';
import { freePort } from './port';

/**
 * Start a server around the spec's tests; kernel specs may be added. Given a
 * gateway, that gateway is started first and runs every kernel (its own
 * kernel specs replace the server's), and is stopped after the server.
 */
export function useJupyterServer(
  additionalKernelSpecs?: JSONObject,
  options: { gateway?: KernelGateway } = {}
): void {
  const server = new JupyterServer();
  const gateway = options.gateway;
  beforeAll(async () => {
    await gateway?.start();
    await server.start({
      configData: {
        // CI runs as root; the server refuses root unless told otherwise.
        // A port of its own: 8888 is the UI tests' server.
        ServerApp: { allow_root: true, port: await freePort() },
        ...(gateway ? { GatewayClient: { url: gateway.url, auth_token: gateway.token } } : {})
      },
      ...(additionalKernelSpecs ? { additionalKernelSpecs } : {})
    });
  }, 120000);
  afterAll(async () => {
    try {
      await server.shutdown();
    } finally {
      await gateway?.shutdown();
    }
  }, 30000);
}
