/**
 * A real Jupyter Kernel Gateway for integration specs: the "GPU node" whose
 * kernels a Jupyter server reaches through `--gateway-url`.
 */
import type { ChildProcess } from 'child_process';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UUID } from '@lumino/coreutils';
import { freePort } from './port';

/** One gateway process, started and stopped by `useJupyterServer`. */
export class KernelGateway {
  /** The gateway's base URL, e.g. `http://127.0.0.1:41234`; empty before `start`. */
  get url(): string {
    return this._url;
  }

  /** The token a client sends, as `Authorization: token <token>`. */
  get token(): string {
    return this._token;
  }

  /** The working directory of the gateway and of the kernels it starts. */
  get workDir(): string {
    return this._workDir;
  }

  /** Start the gateway on a free port and wait until it answers. */
  async start(): Promise<void> {
    const port = await freePort();
    this._workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-gateway-'));
    const dirs = ['config', 'data', 'runtime', 'ipython'].map(name => {
      const dir = path.join(this._workDir, `.${name}`);
      fs.mkdirSync(dir);
      return dir;
    });
    const child = spawn(
      'jupyter',
      [
        'kernelgateway',
        '--KernelGatewayApp.ip=127.0.0.1',
        `--KernelGatewayApp.port=${port}`,
        // A taken port must fail the start, not move the gateway elsewhere.
        '--KernelGatewayApp.port_retries=0',
        '--JupyterWebsocketPersonality.list_kernels=True'
      ],
      {
        cwd: this._workDir,
        env: {
          PATH: process.env.PATH,
          KG_AUTH_TOKEN: this._token,
          JUPYTER_CONFIG_DIR: dirs[0],
          JUPYTER_DATA_DIR: dirs[1],
          JUPYTER_RUNTIME_DIR: dirs[2],
          IPYTHONDIR: dirs[3]
        }
      }
    );
    this._child = child;
    let output = '';
    child.stdout.on('data', data => (output += String(data)));
    child.stderr.on('data', data => (output += String(data)));
    child.on('error', error => (output += String(error)));
    this._url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60000;
    while (!(await this._answers())) {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(
          `The Kernel Gateway did not start; the test extra installs it (pip install -e ".[test]"):\n${output}`
        );
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  }

  /** The ids of the kernels the gateway runs, from its own REST API. */
  async kernelIds(): Promise<string[]> {
    const response = await fetch(`${this._url}/api/kernels`, {
      headers: { Authorization: `token ${this._token}` }
    });
    if (!response.ok) {
      throw new Error(`The gateway refused to list its kernels: ${response.status}`);
    }
    const kernels = (await response.json()) as { id: string }[];
    return kernels.map(k => k.id);
  }

  /** Stop the gateway and the kernels it still runs, and remove its directory. */
  async shutdown(): Promise<void> {
    const child = this._child;
    this._child = null;
    if (child && child.exitCode === null) {
      const exited = new Promise(resolve => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    if (this._workDir) {
      fs.rmSync(this._workDir, { recursive: true, force: true });
    }
  }

  private async _answers(): Promise<boolean> {
    try {
      const response = await fetch(`${this._url}/api`, {
        headers: { Authorization: `token ${this._token}` }
      });
      return response.ok;
    } catch {
      return false;
    }
  }

  private _child: ChildProcess | null = null;
  private _url = '';
  private _token = UUID.uuid4();
  private _workDir = '';
}
