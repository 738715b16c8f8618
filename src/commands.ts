/**
 * The ML debugger's commands: ids, labels, enabled state, and the one place
 * where a failed action reaches the user as a notification.
 */
import { Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon, treeViewIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { IDisposable } from '@lumino/disposable';
import { DisposableDelegate, DisposableSet } from '@lumino/disposable';
import type { VariableValuesModel } from './variables/model';
import type { VariableValuesService } from './variables/service';

export namespace CommandIDs {
  export const refreshValues = 'ml-debugger:refresh-values';
  export const showValues = 'ml-debugger:show-values';
  export const showRepr = 'ml-debugger:show-repr';
  export const revealValue = 'ml-debugger:reveal-value';
  export const toggleValueRow = 'ml-debugger:toggle-value-row';
  export const toggleValuesSort = 'ml-debugger:toggle-values-sort';
  export const toggleValuesScopeGroups = 'ml-debugger:toggle-values-scope-groups';
}

/**
 * Add the Variable Values commands; disposing the result removes them.
 */
export function addValuesCommands(
  commands: CommandRegistry,
  service: VariableValuesService,
  trans: TranslationBundle
): IDisposable {
  const model = service.model;
  const rowOf = (args: ReadonlyPartialJSONObject) =>
    typeof args.key === 'string' ? model.rowByKey(args.key) : undefined;
  const notify = (reason: unknown) => {
    Notification.error(
      reason instanceof Error ? reason.message : String(reason),
      { autoClose: 8000 }
    );
  };

  const set = new DisposableSet();
  set.add(
    commands.addCommand(CommandIDs.refreshValues, {
      label: trans.__('Refresh Variable Values'),
      // No "scope" here: JupyterLab's Scope menu is found by that word.
      caption: trans.__('Read the values again'),
      icon: args => (args.toolbar ? refreshIcon : undefined),
      isEnabled: () => model.hasKernel,
      execute: () => service.refresh().catch(notify)
    })
  );
  set.add(
    commands.addCommand(CommandIDs.showRepr, {
      label: args =>
        rowOf(args) && model.repr(args.key as string)
          ? trans.__('Hide Repr')
          : trans.__('Show Repr'),
      caption: trans.__(
        "Run the value's own __repr__ and show its text; this runs your code"
      ),
      isEnabled: args => rowOf(args) !== undefined,
      execute: args => {
        const row = rowOf(args);
        if (!row) {
          return;
        }
        if (model.repr(args.key as string)) {
          model.clearRepr(args.key as string);
          return;
        }
        return service.showRepr(row).catch(notify);
      }
    })
  );
  set.add(
    commands.addCommand(CommandIDs.revealValue, {
      label: args =>
        rowOf(args) && model.revealed(args.key as string)
          ? trans.__('Mask Value Again')
          : trans.__('Reveal Value'),
      caption: trans.__(
        'Show the value the kernel masked as a secret, until the debugger stops again'
      ),
      isEnabled: args => rowOf(args)?.masked === true,
      execute: args => {
        const row = rowOf(args);
        if (!row?.masked) {
          return;
        }
        if (model.revealed(args.key as string)) {
          model.setRevealed(args.key as string, null);
          return;
        }
        return service.reveal(row).catch(notify);
      }
    })
  );
  set.add(
    commands.addCommand(CommandIDs.toggleValueRow, {
      label: args =>
        rowOf(args) && model.children(args.key as string)
          ? trans.__('Collapse Value')
          : trans.__('Expand Value'),
      isEnabled: args => rowOf(args)?.expandable === true,
      execute: args => {
        const row = rowOf(args);
        if (!row?.expandable) {
          return;
        }
        if (model.children(args.key as string)) {
          service.collapse(row);
          return;
        }
        return service.expand(row).catch(notify);
      }
    })
  );
  set.add(
    commands.addCommand(CommandIDs.toggleValuesSort, {
      label: () =>
        model.sortKey === 'name'
          ? trans.__('Sort Variable Values by Size')
          : trans.__('Sort Variable Values by Name'),
      execute: () => {
        model.sortKey = model.sortKey === 'name' ? 'size' : 'name';
      }
    })
  );
  set.add(
    commands.addCommand(CommandIDs.toggleValuesScopeGroups, {
      label: () =>
        model.groupByScope
          ? trans.__('Ungroup Variable Values')
          : trans.__('Group Variable Values as Local, Enclosing and Global'),
      // No "Scope" in these names: JupyterLab's own Scope menu is found by that label.
      caption: () =>
        model.groupByScope
          ? trans.__('Ungroup: show the values in one list')
          : trans.__(
              'Head the values Local, Enclosing and Global, and flag names that shadow a builtin or a global'
            ),
      icon: args => (args.toolbar ? treeViewIcon : undefined),
      isToggled: () => model.groupByScope,
      execute: () => {
        model.groupByScope = !model.groupByScope;
      }
    })
  );

  // Toolbar buttons and menus read isEnabled and labels: tell them when the
  // state those read from has changed.
  const onChanged = (_: VariableValuesModel) => {
    commands.notifyCommandChanged(CommandIDs.refreshValues);
    commands.notifyCommandChanged(CommandIDs.toggleValuesSort);
    commands.notifyCommandChanged(CommandIDs.toggleValuesScopeGroups);
  };
  model.changed.connect(onChanged);
  set.add(new DisposableDelegate(() => model.changed.disconnect(onChanged)));
  return set;
}
