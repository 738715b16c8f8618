import { YFile } from '@jupyter/ydoc';
import { showDialog } from '@jupyterlab/apputils';
import type { IEditorTracker } from '@jupyterlab/fileeditor';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { nullTranslator } from '@jupyterlab/translation';
import { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import type { Widget } from '@lumino/widgets';
import type { IBreakpointActions } from './actions';
import { NO_ACTIONS } from './actions';
import { addBreakpointCommands, BreakpointCommandIDs } from './commands';
import { BreakpointActionsService } from './service';
import { codeId, FakeBridge, FakeDebugger, fakeKernel } from './testing/fakes';

// The dialog is the user: it answers Save with the actions they typed.
jest.mock('@jupyterlab/apputils', () => ({
  ...jest.requireActual('@jupyterlab/apputils'),
  showDialog: jest.fn()
}));

const CONDITION: IBreakpointActions = { ...NO_ACTIONS, condition: 'step % 10 == 0' };
const TRAIN = 'import torch\nfor step in range(100):\n    loss = step * 2\nprint(loss)';

describe('ml-debugger:edit-breakpoint from the palette', () => {
  let debug: FakeDebugger;
  let bridge: FakeBridge;
  let service: BreakpointActionsService;
  let commands: CommandRegistry;
  let added: IDisposable;
  let text: YFile;
  let shell: { currentWidget: Widget | null };
  const editor = {
    context: { path: 'train.py' },
    // The cursor sits on the third line (0-based 2).
    content: { editor: { getCursorPosition: () => ({ line: 2, column: 4 }) } }
  };

  beforeEach(async () => {
    debug = new FakeDebugger(fakeKernel('k1'));
    bridge = new FakeBridge();
    service = new BreakpointActionsService({
      debugger: debug.asDebugger(),
      bridges: { bridgeFor: () => bridge },
      translator: nullTranslator
    });
    text = new YFile();
    text.setSource(TRAIN);
    service.files.model.trackDocument('train.py', text);
    await service.files.model.ready;
    commands = new CommandRegistry();
    shell = { currentWidget: editor as unknown as Widget };
    added = addBreakpointCommands(
      commands,
      service,
      { activeCell: null } as unknown as INotebookTracker,
      nullTranslator,
      { tracker: { currentWidget: editor } as unknown as IEditorTracker, shell }
    );
    (showDialog as jest.Mock).mockReset().mockResolvedValue({
      button: { accept: true },
      value: CONDITION
    });
  });

  afterEach(() => {
    added.dispose();
    service.dispose();
    text.dispose();
  });

  it("saves the actions on the file editor's cursor line and sends them", async () => {
    expect(commands.isEnabled(BreakpointCommandIDs.editBreakpoint)).toBe(true);
    await commands.execute(BreakpointCommandIDs.editBreakpoint);
    expect(service.files.breakpointAt('train.py', 3)?.actions).toEqual(CONDITION);
    expect(bridge.calls[0]).toEqual({
      op: 'validate',
      args: { expression: 'step % 10 == 0', mode: 'eval' }
    });
    expect(debug.session!.lastSetBreakpoints().source.path).toBe(codeId(TRAIN));
    expect(debug.session!.lastSetBreakpoints().breakpoints).toEqual([
      expect.objectContaining({ line: 3 })
    ]);
  });

  it('leaves the file alone when another tab is current', async () => {
    shell.currentWidget = null;
    expect(commands.isEnabled(BreakpointCommandIDs.editBreakpoint)).toBe(false);
    await commands.execute(BreakpointCommandIDs.editBreakpoint);
    expect(showDialog).not.toHaveBeenCalled();
    expect(service.files.breakpointAt('train.py', 3)).toBeUndefined();
  });
});
