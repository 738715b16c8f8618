/**
 * JupyterLab's debugger requests go first: the probe waits while they are in
 * flight, and for a quiet moment after, but never beyond its limit.
 */
import type { Kernel } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { DebuggerTraffic } from './debuggerTraffic';

class FakeKernel {
  readonly anyMessage = new Signal<this, Kernel.IAnyMessageArgs>(this);
  request(id: string): void {
    this.anyMessage.emit({
      direction: 'send',
      msg: { header: { msg_type: 'debug_request', msg_id: id }, parent_header: {} }
    } as unknown as Kernel.IAnyMessageArgs);
  }
  reply(id: string): void {
    this.anyMessage.emit({
      direction: 'recv',
      msg: { header: { msg_type: 'debug_reply', msg_id: `r-${id}` }, parent_header: { msg_id: id } }
    } as unknown as Kernel.IAnyMessageArgs);
  }
}

describe('DebuggerTraffic', () => {
  let kernel: FakeKernel;
  let traffic: DebuggerTraffic;
  let done: boolean;

  beforeEach(() => {
    jest.useFakeTimers();
    kernel = new FakeKernel();
    traffic = new DebuggerTraffic(kernel as unknown as Kernel.IKernelConnection, {
      quietMs: 250,
      maxWaitMs: 3000
    });
    done = false;
  });

  afterEach(() => {
    traffic.dispose();
    jest.useRealTimers();
  });

  const wait = () => {
    void traffic.quiet().then(() => {
      done = true;
    });
  };

  it('lets the probe go at once when the debugger is quiet', async () => {
    wait();
    await jest.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
  });

  it('holds the probe while a debugger request is out, and a quiet moment after its reply', async () => {
    kernel.request('initialize');
    wait();
    await jest.advanceTimersByTimeAsync(1000);
    expect(done).toBe(false);
    kernel.reply('initialize');
    await jest.advanceTimersByTimeAsync(200);
    // The next request of the start sequence comes within the quiet moment.
    kernel.request('attach');
    kernel.reply('attach');
    await jest.advanceTimersByTimeAsync(200);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(100);
    expect(done).toBe(true);
    expect(traffic.inFlight).toBe(0);
  });

  it('never holds the probe beyond its limit', async () => {
    kernel.request('variables');
    wait();
    await jest.advanceTimersByTimeAsync(2900);
    expect(done).toBe(false);
    await jest.advanceTimersByTimeAsync(200);
    expect(done).toBe(true);
  });
});
