/**
 * The breakpoint-action commands: edit a breakpoint's actions in a dialog
 * that refuses to save until every expression compiles, and make a
 * breakpoint plain again.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import type { IEditorTracker } from '@jupyterlab/fileeditor';
import type { INotebookTracker } from '@jupyterlab/notebook';
import type { ITranslator } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import { DisposableDelegate, DisposableSet } from '@lumino/disposable';
import type { Widget } from '@lumino/widgets';
import type { IBreakpointActions, IStoredBreakpoint } from './actions';
import { hasActions, NO_ACTIONS } from './actions';
import { BreakpointForm } from './form';
import type { BreakpointActionsService } from './service';
import type { FieldErrors } from './validation';
import { validateActions } from './validation';

export namespace BreakpointCommandIDs {
  export const editBreakpoint = 'ml-debugger:edit-breakpoint';
  export const removeBreakpointActions = 'ml-debugger:remove-breakpoint-actions';
}

/** The file editors whose cursor line the commands act on when given no line. */
export interface IFileEditors {
  tracker: IEditorTracker;
  /** The application shell, to tell whether a file editor is the current tab. */
  shell: { readonly currentWidget: Widget | null };
}

/**
 * A breakpoint's place and 1-based line: a cell, or the path of a file
 * editor's document or of a kernel source.
 */
type ITarget = { cellId: string; line: number } | { path: string; line: number };

/**
 * Add the breakpoint-action commands; disposing the result removes them.
 *
 * Both take `{cellId, line}` or `{path, line}`, or act on the line under
 * the cursor: in the file editor when it is the current tab, else in the
 * active notebook's active cell.
 */
export function addBreakpointCommands(
  commands: CommandRegistry,
  service: BreakpointActionsService,
  notebookTracker: INotebookTracker,
  translator: ITranslator,
  fileEditors: IFileEditors | null = null
): IDisposable {
  const trans = translator.load('jupyterlab_ml_debugger');
  const targetOf = (args: ReadonlyPartialJSONObject): ITarget | null => {
    if (typeof args.cellId === 'string' && typeof args.line === 'number') {
      return { cellId: args.cellId, line: args.line };
    }
    if (typeof args.path === 'string' && typeof args.line === 'number') {
      return { path: args.path, line: args.line };
    }
    const editor = fileEditors?.tracker.currentWidget;
    if (editor && editor === fileEditors?.shell.currentWidget) {
      const line = editor.content.editor.getCursorPosition().line + 1;
      return { path: editor.context.path, line };
    }
    const cell = notebookTracker.activeCell;
    if (!cell?.editor) {
      return null;
    }
    return { cellId: cell.model.id, line: cell.editor.getCursorPosition().line + 1 };
  };
  const notify = (reason: unknown) => {
    Notification.error(
      trans.__(
        'The breakpoint could not be saved: %1. Check that the debugger is on and try again.',
        reason instanceof Error ? reason.message : String(reason)
      ),
      { autoClose: 8000 }
    );
  };

  const set = new DisposableSet();
  set.add(
    commands.addCommand(BreakpointCommandIDs.editBreakpoint, {
      label: trans.__('Edit Breakpoint…'),
      caption: trans.__(
        'Set a condition, hit count, log message or actions for the breakpoint on this line'
      ),
      isEnabled: args => {
        const target = targetOf(args);
        return (
          target !== null &&
          ('path' in target || service.findCell(target.cellId) !== undefined)
        );
      },
      execute: async args => {
        const target = targetOf(args);
        if (!target) {
          return;
        }
        const actions = await editActions(service, target, translator);
        if (!actions) {
          return;
        }
        const saved =
          'path' in target
            ? service.files.save(target.path, target.line, actions)
            : service.save(target.cellId, target.line, actions);
        await saved.catch(notify);
      }
    })
  );
  set.add(
    commands.addCommand(BreakpointCommandIDs.removeBreakpointActions, {
      label: trans.__('Remove Breakpoint Actions'),
      caption: trans.__(
        "Keep the breakpoint but drop its condition, hit count, log message and actions"
      ),
      isEnabled: args => {
        const target = targetOf(args);
        const breakpoint = target ? breakpointAt(service, target) : undefined;
        return breakpoint !== undefined && hasActions(breakpoint.actions);
      },
      execute: args => {
        const target = targetOf(args);
        if (!target) {
          return;
        }
        const removed =
          'path' in target
            ? service.files.removeActions(target.path, target.line)
            : service.removeActions(target.cellId, target.line);
        return removed.catch(notify);
      }
    })
  );

  const onChanged = () =>
    commands.notifyCommandChanged(BreakpointCommandIDs.removeBreakpointActions);
  service.changed.connect(onChanged);
  set.add(new DisposableDelegate(() => service.changed.disconnect(onChanged)));
  return set;
}

/**
 * Show the form until its expressions compile in the kernel or the user
 * cancels; the actions to save, or null.
 */
async function editActions(
  service: BreakpointActionsService,
  target: ITarget,
  translator: ITranslator
): Promise<IBreakpointActions | null> {
  const trans = translator.load('jupyterlab_ml_debugger');
  const bridge =
    'path' in target ? service.files.validator() : service.validator(target.cellId);
  let actions = breakpointAt(service, target)?.actions ?? NO_ACTIONS;
  let errors: FieldErrors = {};
  for (;;) {
    const result = await showDialog({
      title: trans.__('Edit Breakpoint (line %1)', target.line),
      body: new BreakpointForm({ actions, bridge, errors, translator }),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: trans.__('Save') })
      ],
      focusNodeSelector: 'input'
    });
    if (!result.button.accept || !result.value) {
      return null;
    }
    actions = result.value;
    errors = await validateActions(actions, bridge, trans);
    if (Object.keys(errors).length === 0) {
      return actions;
    }
  }
}

function breakpointAt(
  service: BreakpointActionsService,
  target: ITarget
): IStoredBreakpoint | undefined {
  return 'path' in target
    ? service.files.breakpointAt(target.path, target.line)
    : service.breakpointAt(target.cellId, target.line);
}
