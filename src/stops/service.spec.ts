import type { IDebugger } from '@jupyterlab/debugger';
import type { Kernel } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';
import { StopsService } from './service';

/** The debugger surface the service reads; JupyterLab sends and signals as it does. */
class FakeDebugger {
  pauseOnExceptionChanged = new Signal<this, void>(this);
  sent: { command: string; args: unknown }[] = [];
  kernel = { id: 'k1' } as unknown as Kernel.IKernelConnection;
  session = {
    isStarted: true,
    connection: { kernel: this.kernel },
    currentExceptionFilters: [] as string[],
    exceptionBreakpointFilters: [
      { filter: 'raised', label: 'Raised' },
      { filter: 'userUnhandled', label: 'User uncaught' }
    ],
    sendRequest: async (command: string, args: unknown) => {
      this.sent.push({ command, args });
    }
  };
  pauseOnExceptionsIsValid(): boolean {
    return true;
  }
  async pauseOnExceptions(filters: string[]): Promise<void> {
    this.session.currentExceptionFilters = filters;
    this.sent.push({ command: 'setExceptionBreakpoints', args: { filters } });
    this.pauseOnExceptionChanged.emit();
  }
}

/** Only the bridge is faked below the service. */
class FakeBridges {
  requests: { op: string; args: unknown }[] = [];
  failWith: Error | null = null;
  bridgeFor() {
    return {
      request: async (op: string, args: unknown) => {
        this.requests.push({ op, args });
        if (this.failWith) {
          throw this.failWith;
        }
        return { on: true, attached: true };
      }
    };
  }
}

const settle = () => new Promise(resolve => setTimeout(resolve, 0));

describe('StopsService', () => {
  let debug: FakeDebugger;
  let bridges: FakeBridges;
  let errors: unknown[];

  function start(settings: Partial<StopsService.ISettings> = {}): StopsService {
    return new StopsService({
      debugger: debug as unknown as IDebugger,
      bridges: bridges as unknown as StopsService.IBridges,
      settings,
      onError: reason => errors.push(reason)
    });
  }

  beforeEach(() => {
    debug = new FakeDebugger();
    bridges = new FakeBridges();
    errors = [];
  });

  it("keeps JupyterLab's default of no exception filter, and turns breakpoint() on", async () => {
    const service = start();
    debug.pauseOnExceptionChanged.emit();
    await settle();
    expect(debug.sent).toEqual([]);
    expect(bridges.requests).toEqual([{ op: 'breakpoint_hook', args: { on: true } }]);
    service.dispose();
  });

  it('starts a session stopping on unhandled exceptions when the setting asks for it', async () => {
    const service = start({ stopOnUnhandledExceptions: true });
    debug.pauseOnExceptionChanged.emit();
    await settle();
    expect(debug.sent).toEqual([
      { command: 'setExceptionBreakpoints', args: { filters: ['userUnhandled'] } }
    ]);
    expect(bridges.requests).toEqual([{ op: 'breakpoint_hook', args: { on: true } }]);
    service.dispose();
  });

  it('leaves the filters the user chose, and re-sends them with the exception types', async () => {
    debug.session.currentExceptionFilters = ['raised'];
    const service = start({ exceptionTypes: ['FloatingPointError'] });
    debug.pauseOnExceptionChanged.emit();
    await settle();
    expect(debug.sent).toEqual([
      {
        command: 'setExceptionBreakpoints',
        args: {
          filters: ['raised'],
          exceptionOptions: [
            {
              path: [{ names: ['Python Exceptions'] }, { names: ['FloatingPointError'] }],
              breakMode: 'always'
            }
          ]
        }
      }
    ]);
    service.dispose();
  });

  it('does not force the default again once the user cleared the filters', async () => {
    const service = start({ stopOnUnhandledExceptions: true });
    debug.pauseOnExceptionChanged.emit();
    await settle();
    debug.session.currentExceptionFilters = [];
    debug.sent = [];
    debug.pauseOnExceptionChanged.emit();
    await settle();
    expect(debug.sent).toEqual([]);
    expect(bridges.requests).toHaveLength(1);
    service.dispose();
  });

  it('sends nothing while no session is started', async () => {
    debug.session.isStarted = false;
    const service = start({ exceptionTypes: ['ValueError'] });
    debug.pauseOnExceptionChanged.emit();
    await settle();
    expect(debug.sent).toEqual([]);
    expect(bridges.requests).toEqual([]);
    service.dispose();
  });

  it('reports a failure instead of dropping it', async () => {
    bridges.failWith = new Error('The kernel did not answer within 10 s.');
    const service = start({ stopOnUnhandledExceptions: false });
    debug.pauseOnExceptionChanged.emit();
    await settle();
    expect(errors).toEqual([bridges.failWith]);
    service.dispose();
  });
});
