/**
 * A real Jupyter server for one integration spec file, started before its
 * tests and stopped after them.
 */
import type { JSONObject } from '@lumino/coreutils';
import { JupyterServer } from '@jupyterlab/testing';

/** Start a server around the spec's tests; kernel specs may be added. */
export function useJupyterServer(additionalKernelSpecs?: JSONObject): void {
  const server = new JupyterServer();
  beforeAll(async () => {
    await server.start({
      // CI runs as root; the server refuses root unless told otherwise.
      configData: { ServerApp: { allow_root: true } },
      ...(additionalKernelSpecs ? { additionalKernelSpecs } : {})
    });
  }, 120000);
  afterAll(async () => {
    await server.shutdown();
  });
}
