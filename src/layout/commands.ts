/**
 * The command that opens a view, labelled with what the view has to say.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import type { MLViews } from './views';
import { OPEN_VIEW_COMMAND } from './views';

export function addViewCommands(
  commands: CommandRegistry,
  views: MLViews,
  trans: TranslationBundle
): IDisposable {
  const viewOf = (args: { view?: unknown }) => views.view(args.view);
  const disposable = commands.addCommand(OPEN_VIEW_COMMAND, {
    label: args => {
      const view = viewOf(args);
      if (!view) {
        return trans.__('Open ML Debugger View');
      }
      const { count } = views.attentionOf(view.key);
      return count ? trans.__('%1 (%2)', view.label, count) : view.label;
    },
    caption: args => {
      const view = viewOf(args);
      return view ? views.attentionOf(view.key).reason || trans.__('Open %1', view.label) : '';
    },
    execute: args => {
      const view = viewOf(args);
      return view ? views.reveal(view.key) : null;
    }
  });
  views.changed.connect(() => commands.notifyCommandChanged(OPEN_VIEW_COMMAND));
  return disposable;
}
