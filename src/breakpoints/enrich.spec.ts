import { NotebookModel } from '@jupyterlab/notebook';
import { nullTranslator } from '@jupyterlab/translation';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { actionCondition } from '../kernel/protocol';
import { enrichSetBreakpoints, SetBreakpointsEnricher } from './enrich';
import { METADATA_KEY } from './metadata';
import { BreakpointActionsService } from './service';
import {
  codeId,
  FakeBridge,
  FakeDebugger,
  fakeKernel,
  fakePanel,
  FakeSession
} from './testing/fakes';

const LOOP = 'total = 0\nfor i in range(100):\n    total += i\nprint(total)';

// What JupyterLab's service sends on restore, captured in shape: lines only.
const plainResend = (path: string, lines: number[]) => ({
  source: { path },
  breakpoints: lines.map(line => ({ line })),
  sourceModified: false
});

describe('enrichSetBreakpoints', () => {
  it("puts the probe's condition on lines with actions and nothing of debugpy's own", () => {
    const args: DebugProtocol.SetBreakpointsArguments = {
      source: { path: '/tmp/x.py' },
      breakpoints: [
        { line: 2, hitCondition: '5', logMessage: 'no' },
        { line: 3 }
      ]
    };
    expect(enrichSetBreakpoints(args, new Map([[2, 'bp-1']])).breakpoints).toEqual([
      { line: 2, condition: '__import__("_jupyterlab_ml_debugger_actions").on_hit("bp-1")' },
      { line: 3 }
    ]);
  });

  it('leaves a path that is no cell untouched', () => {
    const args = plainResend('/lib/site.py', [4]);
    expect(enrichSetBreakpoints(args, null)).toBe(args);
  });
});

describe('SetBreakpointsEnricher with the breakpoint service', () => {
  let kernel: ReturnType<typeof fakeKernel>;
  let debug: FakeDebugger;
  let bridge: FakeBridge;
  let service: BreakpointActionsService;
  let enricher: SetBreakpointsEnricher;
  let model: NotebookModel;
  let cellId: string;

  beforeEach(async () => {
    kernel = fakeKernel('k1');
    debug = new FakeDebugger(kernel);
    bridge = new FakeBridge();
    service = new BreakpointActionsService({
      debugger: debug.asDebugger(),
      bridges: { bridgeFor: () => bridge },
      translator: nullTranslator
    });
    enricher = new SetBreakpointsEnricher({ debugger: debug.asDebugger(), source: service });
    model = new NotebookModel();
    model.sharedModel.insertCells(0, [
      {
        cell_type: 'code',
        source: LOOP,
        metadata: {
          [METADATA_KEY]: {
            breakpoints: [
              { id: 'bp-cond', line: 3, condition: 'i == 41' },
              { id: 'bp-plain', line: 4 }
            ]
          }
        }
      }
    ]);
    cellId = model.cells.get(0).id;
    service.addNotebook(fakePanel(model, kernel));
    await Promise.resolve();
    await Promise.resolve();
  });

  afterEach(() => {
    enricher.dispose();
    service.dispose();
  });

  const restore = async () => {
    debug.model.breakpoints.restored.emit();
    // the restore runs as a chain of awaited sends
    for (let i = 0; i < 10; i++) {
      await Promise.resolve();
    }
  };

  it('restores saved breakpoints into the debugger, with the condition, after the probe has the specs', async () => {
    await restore();
    const sent = debug.session!.sent;
    expect(bridge.calls[0]).toEqual({
      op: 'set_actions',
      args: {
        breakpoints: [
          expect.objectContaining({ id: 'bp-cond', condition: 'i == 41' })
        ]
      }
    });
    expect(sent.map(s => s.command)).toEqual(['setBreakpoints']);
    expect(debug.session!.lastSetBreakpoints()).toEqual({
      source: { path: codeId(LOOP) },
      breakpoints: [{ line: 3, condition: actionCondition('bp-cond') }, { line: 4 }],
      sourceModified: false
    });
  });

  it("keeps the condition on JupyterLab's plain re-send after changed/restored", async () => {
    await restore();
    await debug.resend(codeId(LOOP), [3, 4]);
    expect(debug.session!.lastSetBreakpoints().breakpoints).toEqual([
      { line: 3, condition: actionCondition('bp-cond') },
      { line: 4 }
    ]);
  });

  it('takes a breakpoint added in the gutter as plain, and saves it', async () => {
    await restore();
    await debug.resend(codeId(LOOP), [1, 3, 4]);
    expect(debug.session!.lastSetBreakpoints().breakpoints![0]).toEqual({ line: 1 });
    const saved = model.cells.get(0).getMetadata(METADATA_KEY).breakpoints;
    expect(saved.map((b: { line: number }) => b.line)).toEqual([1, 3, 4]);
  });

  it('applies an edited condition at once, and drops one made plain', async () => {
    await restore();
    await service.save(cellId, 4, {
      ...service.breakpointAt(cellId, 4)!.actions,
      hit: { mode: 'every', n: 10 }
    });
    expect(debug.session!.lastSetBreakpoints().breakpoints).toEqual([
      { line: 3, condition: actionCondition('bp-cond') },
      { line: 4, condition: actionCondition('bp-plain') }
    ]);
    await service.removeActions(cellId, 3);
    expect(debug.session!.lastSetBreakpoints().breakpoints![0]).toEqual({ line: 3 });
    const last = bridge.calls[bridge.calls.length - 1];
    expect(last.args).toEqual({
      breakpoints: [expect.objectContaining({ id: 'bp-plain', hit: { mode: 'every', n: 10 } })]
    });
  });

  it('sends nothing to a kernel the debugger is not on', async () => {
    debug.session = new FakeSession(fakeKernel('other'));
    debug.sessionChanged.emit(debug.session as never);
    await service.save(cellId, 3, { ...service.breakpointAt(cellId, 3)!.actions, once: true });
    expect(debug.session.sent).toEqual([]);
    await debug.resend(codeId(LOOP), [3]);
    expect(debug.session.lastSetBreakpoints().breakpoints).toEqual([{ line: 3 }]);
    expect(bridge.calls).toEqual([]);
  });

  it('passes setExceptionBreakpoints through untouched, and unwraps on dispose', async () => {
    const session = debug.session!;
    const args = { filters: ['userUnhandled'], exceptionOptions: [] };
    await (session as unknown as { sendRequest: FakeSession['sendRequest'] }).sendRequest(
      'setExceptionBreakpoints',
      args
    );
    expect(session.sent[0].args).toBe(args);
    enricher.dispose();
    expect(session.sendRequest).toBe(FakeSession.prototype.sendRequest);
  });
});
