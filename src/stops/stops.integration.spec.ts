/**
 * Exception types, unhandled exceptions and breakpoint() on a real ipykernel 7.
 */
import type { Kernel } from '@jupyterlab/services';
import { KernelManager } from '@jupyterlab/services';
import { KernelBridge } from '../kernel/bridge';
import { dap, debugOn, nextStop } from '../kernel/testing/dap';
import { DEFAULT_EXCEPTION_FILTERS, exceptionBreakpointArgs } from './exceptions';
import { useJupyterServer } from '../kernel/testing/server';

jest.setTimeout(120000);

useJupyterServer();

describe('what makes a real kernel stop', () => {
  let manager: KernelManager;
  let kernel: Kernel.IKernelConnection;

  beforeEach(async () => {
    manager = new KernelManager();
    kernel = await manager.startNew({ name: 'python3' });
    await kernel.info;
    await debugOn(kernel);
  });

  afterEach(async () => {
    await kernel.shutdown();
    manager.dispose();
  });

  it('stops on a named exception type even when the cell handles it, and not on others', async () => {
    await dap(
      kernel,
      'setExceptionBreakpoints',
      exceptionBreakpointArgs([], ['FloatingPointError']) as unknown as Record<string, unknown>
    );
    const stop = nextStop(kernel);
    const run = kernel.requestExecute({
      code: [
        'for kind in (ValueError, FloatingPointError):',
        '    try:',
        '        raise kind("planted")',
        '    except Exception:',
        '        pass'
      ].join('\n')
    });
    const threadId = await stop;
    const info = await dap(kernel, 'exceptionInfo', { threadId });
    expect(String(info.body.exceptionId)).toContain('FloatingPointError');
    await dap(kernel, 'continue', { threadId });
    await run.done;
  });

  it('stops where a cell does not handle an exception with the notebook default', async () => {
    await dap(kernel, 'setExceptionBreakpoints', {
      filters: [...DEFAULT_EXCEPTION_FILTERS]
    });
    const stop = nextStop(kernel);
    const run = kernel.requestExecute({
      // Handled inside a function: debugpy's userUnhandled also stops at an
      // exception handled by a cell's top-level try, a quirk of its own.
      code: 'def safe():\n    try:\n        1 / 0\n    except ZeroDivisionError:\n        pass\nsafe()\n{}["missing"]'
    });
    const threadId = await stop;
    const info = await dap(kernel, 'exceptionInfo', { threadId });
    expect(String(info.body.exceptionId)).toContain('KeyError');
    await dap(kernel, 'continue', { threadId });
    await run.done;
  });

  it('stops at breakpoint() once the hook is on', async () => {
    const bridge = new KernelBridge({ kernel });
    const hook = await bridge.request('breakpoint_hook', { on: true });
    expect(hook.on).toBe(true);
    const stop = nextStop(kernel);
    const run = kernel.requestExecute({
      code: 'def pause():\n    answer = 41\n    breakpoint()\n    return answer\npause()'
    });
    const threadId = await stop;
    const trace = await dap(kernel, 'stackTrace', { threadId });
    const names = (trace.body.stackFrames as { name: string }[]).map(f => f.name);
    expect(names).toContain('pause');
    await dap(kernel, 'continue', { threadId });
    await run.done;
    bridge.dispose();
  });
});
