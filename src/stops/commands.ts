/**
 * The command that names the exception types the debugger stops on.
 */
import { InputDialog, Notification } from '@jupyterlab/apputils';
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { parseExceptionTypes } from './exceptions';

export namespace StopsCommandIDs {
  export const setExceptionTypes = 'ml-debugger:set-exception-types';
}

/** Register the command; it edits the `exceptionTypes` setting. */
export function addStopsCommands(
  commands: CommandRegistry,
  settings: ISettingRegistry.ISettings,
  trans: TranslationBundle
): void {
  commands.addCommand(StopsCommandIDs.setExceptionTypes, {
    label: trans.__('Stop on Exception Types…'),
    caption: trans.__(
      'Stop wherever an exception of these types is raised, even when the code handles it'
    ),
    execute: async () => {
      const current = (settings.composite.exceptionTypes as string[]) ?? [];
      const answer = await InputDialog.getText({
        title: trans.__('Stop on Exception Types'),
        label: trans.__(
          'Exception class names, separated by commas (for example FloatingPointError, RuntimeError). Leave empty to stop on none.'
        ),
        text: current.join(', ')
      });
      if (!answer.button.accept || answer.value === null) {
        return;
      }
      const { types, invalid } = parseExceptionTypes(answer.value);
      if (invalid.length > 0) {
        Notification.error(
          trans.__(
            'These are not exception class names: %1. Use names such as FloatingPointError or torch.cuda.OutOfMemoryError.',
            invalid.join(', ')
          )
        );
        return;
      }
      await settings.set('exceptionTypes', types);
    }
  });
}
