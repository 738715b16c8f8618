/**
 * Type Structure commands: show a value's structure (from a right-clicked
 * row or variable, or a name typed in the palette), refresh it, and switch
 * recording of forward-pass shapes for a model.
 */
import { Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon, listIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import { DisposableDelegate, DisposableSet } from '@lumino/disposable';
import type { StructureService } from './service';
import type { ISubject } from './subjects';
import { askSubject, subjectOfArgs } from './subjects';

export namespace StructureCommandIDs {
  export const show = 'ml-debugger:show-type-structure';
  export const refresh = 'ml-debugger:refresh-type-structure';
  export const toggleRecording = 'ml-debugger:toggle-shape-recording';
}

/** Add the Type Structure commands; disposing the result removes them. */
export function addStructureCommands(
  commands: CommandRegistry,
  service: StructureService,
  options: {
    trans: TranslationBundle;
    fromContextMenu: () => ISubject | null;
    reveal: () => void;
  }
): IDisposable {
  const { trans, fromContextMenu, reveal } = options;
  const model = service.model;
  const notify = (reason: unknown) => {
    Notification.error(reason instanceof Error ? reason.message : String(reason), {
      autoClose: 8000
    });
  };
  const set = new DisposableSet();
  set.add(
    commands.addCommand(StructureCommandIDs.show, {
      label: trans.__('Show Type Structure'),
      caption: trans.__(
        "Show what a value is made of: class, bases, fields, attributes; for a model its modules with parameter shapes"
      ),
      icon: args => (args.toolbar ? listIcon : undefined),
      execute: async args => {
        const subject =
          subjectOfArgs(args, fromContextMenu) ??
          (await askSubject(trans, trans.__('Show Type Structure')));
        if (!subject) {
          return;
        }
        reveal();
        return service.show(subject);
      }
    })
  );
  set.add(
    commands.addCommand(StructureCommandIDs.refresh, {
      label: trans.__('Refresh Type Structure'),
      caption: trans.__('Read the structure of the shown value again'),
      icon: args => (args.toolbar ? refreshIcon : undefined),
      isEnabled: () => model.subject !== null,
      execute: () => service.refresh()
    })
  );
  set.add(
    commands.addCommand(StructureCommandIDs.toggleRecording, {
      label: args => {
        if (args.toolbar) {
          return model.structure?.modules?.recording ? trans.__('Stop recording') : trans.__('Record shapes');
        }
        return model.structure?.modules?.recording
          ? trans.__('Stop Recording Forward Shapes')
          : trans.__('Record Forward Shapes');
      },
      caption: trans.__(
        'Record the input and output shapes each module sees in your next forward pass, with passive hooks (no extra pass)'
      ),
      isEnabled: () => !!model.structure?.modules,
      execute: () =>
        service.setRecording(!model.structure?.modules?.recording).then(
          () => undefined,
          notify
        )
    })
  );
  const onChanged = () => {
    commands.notifyCommandChanged(StructureCommandIDs.refresh);
    commands.notifyCommandChanged(StructureCommandIDs.toggleRecording);
  };
  model.changed.connect(onChanged);
  set.add(new DisposableDelegate(() => model.changed.disconnect(onChanged)));
  return set;
}
