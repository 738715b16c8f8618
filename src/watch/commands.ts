/**
 * The Watch commands: add, remove and re-evaluate watch expressions.
 */
import { InputDialog, Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import { DisposableSet } from '@lumino/disposable';
import type { WatchService } from './service';

export namespace WatchCommandIDs {
  export const add = 'ml-debugger:add-watch';
  export const remove = 'ml-debugger:remove-watch';
  export const refresh = 'ml-debugger:refresh-watches';
  export const reveal = 'ml-debugger:reveal-watch';
}

/**
 * Add the Watch commands; disposing the result removes them.
 */
export function addWatchCommands(
  commands: CommandRegistry,
  service: WatchService,
  trans: TranslationBundle,
  reveal: () => void = () => undefined
): IDisposable {
  const model = service.model;
  const set = new DisposableSet();
  set.add(
    commands.addCommand(WatchCommandIDs.add, {
      label: trans.__('Add Watch Expression…'),
      caption: trans.__(
        'Evaluate an expression at every stop and live refresh; saved with the notebook'
      ),
      execute: async args => {
        let expression =
          typeof args.expression === 'string' ? args.expression : null;
        if (expression === null) {
          const result = await InputDialog.getText({
            title: trans.__('Add Watch Expression'),
            placeholder: trans.__('e.g. loss.item()')
          });
          expression = result.button.accept ? result.value : null;
        }
        if (expression !== null) {
          model.add(expression);
          reveal();
        }
      }
    })
  );
  set.add(
    commands.addCommand(WatchCommandIDs.remove, {
      label: args =>
        typeof args.expression === 'string'
          ? trans.__('Remove Watch %1', args.expression)
          : trans.__('Remove Watch'),
      isEnabled: args =>
        typeof args.expression === 'string' &&
        model.expressions.includes(args.expression),
      execute: args => {
        if (typeof args.expression === 'string') {
          model.remove(args.expression);
        }
      }
    })
  );
  set.add(
    commands.addCommand(WatchCommandIDs.reveal, {
      label: args =>
        typeof args.expression === 'string' && model.revealed(args.expression)
          ? trans.__('Mask Watch Value Again')
          : trans.__('Reveal Watch Value'),
      caption: trans.__(
        'Show the value the kernel masked as a secret, until the watches are evaluated again'
      ),
      isEnabled: args =>
        typeof args.expression === 'string' && model.row(args.expression)?.masked === true,
      execute: args => {
        const expression = args.expression;
        if (typeof expression !== 'string' || !model.row(expression)?.masked) {
          return;
        }
        if (model.revealed(expression)) {
          model.setRevealed(expression, null);
          return;
        }
        return service.reveal(expression).catch(reason =>
          Notification.error(reason instanceof Error ? reason.message : String(reason), {
            autoClose: 8000
          })
        );
      }
    })
  );
  set.add(
    commands.addCommand(WatchCommandIDs.refresh, {
      // Not "Evaluate": JupyterLab's own Evaluate Code button is found by that word.
      label: trans.__('Refresh Watches'),
      icon: args => (args.toolbar ? refreshIcon : undefined),
      execute: () => service.refresh()
    })
  );
  return set;
}
