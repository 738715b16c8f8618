import { ServerConnection } from '@jupyterlab/services';
import { nullTranslator } from '@jupyterlab/translation';
import { CrashServer } from './server';
import { segfaultJson } from './testing/samples';

const trans = nullTranslator.load('jupyterlab_ml_debugger');

interface ISent {
  method: string;
  url: string;
  body: string;
}

/** A server at http://lab.test/base/ that answers every request with `answer`. */
function serverAnswering(answer: (sent: ISent) => Response) {
  const sent: ISent[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const item = { method: request.method, url: request.url, body: await request.text() };
    sent.push(item);
    return answer(item);
  };
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://lab.test/base/',
    fetch: fetch as typeof globalThis.fetch,
    Request,
    Headers
  });
  return { server: new CrashServer({ settings, trans }), sent };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('CrashServer', () => {
  it('reads a kernel’s reports from the route under the server’s base URL, in the frontend’s words', async () => {
    const { server, sent } = serverAnswering(() => json(200, { reports: [segfaultJson()] }));
    const [report] = await server.reports('k 1');
    expect(sent[0].method).toBe('GET');
    expect(sent[0].url).toMatch(/^http:\/\/lab\.test\/base\/ml-debugger\/crashes\?kernel=k%201(&\d+)?$/);
    expect(report.signalName).toBe('SIGSEGV');
    expect(report.lastCell).toEqual({ executionCount: 7, cellId: 'cell-7', firstLine: 'y = model(x)', line: 3 });
    expect(report.memory.map(m => m.rssBytes)).toEqual([100 * 2 ** 20, 120 * 2 ** 20, 130 * 2 ** 20]);
    expect(report.threads.find(t => t.current)?.frames[1]).toEqual({ path: '/tmp/ipykernel_1/7.py', line: 3, name: '<module>' });
  });

  it('dismisses with DELETE and reads the stacks from outside with POST, sending no path or command', async () => {
    const { server, sent } = serverAnswering(item =>
      item.method === 'DELETE'
        ? new Response(null, { status: 204 })
        : json(200, {
            ok: true,
            message: null,
            elapsed_ms: 80,
            threads: [{ id: 7, name: 'MainThread', gil: true, active: true, frames: [{ name: 'sre_search', path: '_sre.c', line: null, native: true }] }]
          })
    );
    await server.dismiss('r/1');
    const stacks = await server.outsideStacks('k1');
    expect(sent.map(s => [s.method, s.url.replace(/\?\d+$/, '')])).toEqual([
      ['DELETE', 'http://lab.test/base/ml-debugger/crashes/r%2F1'],
      ['POST', 'http://lab.test/base/ml-debugger/kernels/k1/stacks']
    ]);
    expect(sent[1].body).toBe('{}');
    expect(stacks.threads[0].frames[0]).toEqual({ name: 'sre_search', path: '_sre.c', line: null, native: true });
  });

  it('says the route’s own sentence when it refuses', async () => {
    const { server } = serverAnswering(() => json(404, { message: 'No kernel k9 is managed by this server.' }));
    await expect(server.reports('k9')).rejects.toThrow('No kernel k9 is managed by this server.');
  });

  it('says how to enable the server extension when its routes are missing', async () => {
    const { server } = serverAnswering(() => new Response('<html>404</html>', { status: 404 }));
    await expect(server.reports('k1')).rejects.toThrow(
      /server extension is not running.*jupyter server extension enable jupyterlab_ml_debugger/
    );
  });

  it('refuses a reply of another shape instead of showing half a report', async () => {
    const { server } = serverAnswering(() => json(200, { reports: [{ id: 'r1' }] }));
    await expect(server.reports('k1')).rejects.toThrow(/malformed crash report kernel id.*Reinstall/);
  });
});
