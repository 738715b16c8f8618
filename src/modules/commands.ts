/**
 * Modules commands: show (and read again) the loaded modules, and check
 * them against a requirements file.
 */
import { InputDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { checkIcon, refreshIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import { DisposableSet } from '@lumino/disposable';
import type { ModulesService } from './service';

export namespace ModulesCommandIDs {
  export const show = 'ml-debugger:show-modules';
  export const checkRequirements = 'ml-debugger:check-requirements';
}

/** Add the Modules commands; disposing the result removes them. */
export function addModulesCommands(
  commands: CommandRegistry,
  service: ModulesService,
  options: { trans: TranslationBundle; reveal: () => void }
): IDisposable {
  const { trans, reveal } = options;
  const set = new DisposableSet();
  set.add(
    commands.addCommand(ModulesCommandIDs.show, {
      label: args => (args.toolbar ? '' : trans.__('Show Loaded Modules')),
      caption: trans.__('Read the modules the kernel has loaded, with their versions and paths'),
      icon: args => (args.toolbar ? refreshIcon : undefined),
      execute: args => {
        // Asked before revealing: a folded section reads when it opens, not twice.
        const done = service.read();
        if (!args.toolbar) {
          reveal();
        }
        return done;
      }
    })
  );
  set.add(
    commands.addCommand(ModulesCommandIDs.checkRequirements, {
      label: args => (args.toolbar ? '' : trans.__('Check Modules Against Requirements…')),
      caption: trans.__(
        "Compare the loaded versions with a requirements file in the notebook's directory"
      ),
      icon: args => (args.toolbar ? checkIcon : undefined),
      execute: async args => {
        // A path in the arguments skips the dialog, for scripts and links.
        let path = typeof args.path === 'string' ? args.path : null;
        if (path === null) {
          const answer = await InputDialog.getText({
            title: trans.__('Check Modules Against Requirements'),
            label: trans.__("Requirements file, relative to the notebook's directory (empty: stop checking)"),
            placeholder: 'requirements.txt',
            text: service.requirementsPath
          });
          if (!answer.button.accept || answer.value === null) {
            return;
          }
          path = answer.value;
        }
        const done = service.checkRequirements(path);
        reveal();
        await done;
      }
    })
  );
  return set;
}
