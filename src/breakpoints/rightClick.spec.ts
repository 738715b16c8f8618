import { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { BreakpointCommandIDs } from './commands';
import { GutterRightClick } from './rightClick';

describe('GutterRightClick', () => {
  let host: HTMLElement;
  let marker: HTMLElement;
  let commands: CommandRegistry;
  let executed: ReadonlyPartialJSONObject[];
  let reachedCodeMirror: number[];
  let handler: GutterRightClick;

  beforeEach(() => {
    // The DOM of a cell editor with the debugger on, as CodeMirror renders it.
    host = document.createElement('div');
    host.innerHTML =
      '<div class="jp-Cell"><div class="cm-editor"><div class="cm-gutters">' +
      '<div class="cm-gutter cm-breakpoint-gutter"><div class="cm-gutterElement"></div></div>' +
      '</div><div class="cm-content"></div></div></div>';
    document.body.appendChild(host);
    marker = host.querySelector('.cm-gutterElement') as HTMLElement;
    reachedCodeMirror = [];
    // CodeMirror's gutter handler toggles the breakpoint on any button.
    marker.addEventListener('mousedown', e => reachedCodeMirror.push(e.button));
    commands = new CommandRegistry();
    executed = [];
    commands.addCommand(BreakpointCommandIDs.editBreakpoint, {
      execute: args => {
        executed.push(args);
      }
    });
    handler = new GutterRightClick({
      host,
      commands,
      command: BreakpointCommandIDs.editBreakpoint,
      locate: () => ({ cellId: 'c1', line: 3 })
    });
  });

  afterEach(() => {
    handler.dispose();
    host.remove();
  });

  const press = (button: number) => {
    const event = new MouseEvent('mousedown', { button, bubbles: true, cancelable: true });
    marker.dispatchEvent(event);
    return event;
  };

  it('opens Edit Breakpoint on a right-click, which never reaches the gutter toggle', async () => {
    const event = press(2);
    await Promise.resolve();
    expect(reachedCodeMirror).toEqual([]);
    expect(event.defaultPrevented).toBe(true);
    expect(executed).toEqual([{ cellId: 'c1', line: 3 }]);

    const menu = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
    const reachedMenu = jest.fn();
    document.body.addEventListener('contextmenu', reachedMenu);
    marker.dispatchEvent(menu);
    document.body.removeEventListener('contextmenu', reachedMenu);
    expect(menu.defaultPrevented).toBe(true);
    expect(reachedMenu).not.toHaveBeenCalled();
  });

  it('lets a left click through to toggle the breakpoint', async () => {
    press(0);
    await Promise.resolve();
    expect(reachedCodeMirror).toEqual([0]);
    expect(executed).toEqual([]);
  });

  it('ignores right-clicks outside a gutter and stops listening when disposed', async () => {
    const content = host.querySelector('.cm-content') as HTMLElement;
    content.dispatchEvent(new MouseEvent('mousedown', { button: 2, bubbles: true }));
    handler.dispose();
    press(2);
    await Promise.resolve();
    expect(executed).toEqual([]);
    expect(reachedCodeMirror).toEqual([2]);
  });
});
