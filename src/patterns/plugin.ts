/**
 * The patterns catalogue plugin: "Debugging Patterns" in the palette and the
 * launcher opens one main-area catalogue of every pattern, with its notebook.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget } from '@jupyterlab/apputils';
import { ILauncher } from '@jupyterlab/launcher';
import { ITranslator } from '@jupyterlab/translation';
import { bugIcon } from '@jupyterlab/ui-components';
import { openInMainArea } from '../layout/mainArea';
import { IMLDebugger } from '../tokens';
import { PatternCatalogue } from './catalogue';

export namespace PatternsCommandIDs {
  export const open = 'ml-debugger:open-patterns';
}

export const patternsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:patterns',
  description:
    'A "Debugging Patterns" catalogue in the main area: every pattern, the view that shows it and the notebook that teaches it.',
  autoStart: true,
  requires: [ITranslator, IMLDebugger],
  optional: [ICommandPalette, ILauncher],
  activate: (
    app: JupyterFrontEnd,
    translator: ITranslator,
    ml: IMLDebugger,
    palette: ICommandPalette | null,
    launcher: ILauncher | null
  ): void => {
    const trans = translator.load('jupyterlab_ml_debugger');
    let widget: MainAreaWidget<PatternCatalogue> | null = null;
    app.commands.addCommand(PatternsCommandIDs.open, {
      label: trans.__('Debugging Patterns'),
      caption: trans.__(
        'The debugging patterns of the ML debugger: what each gives you, where it shows, and the notebook that teaches it'
      ),
      icon: bugIcon,
      execute: () => {
        // One catalogue: opening it again brings the open one forward.
        if (!widget || widget.isDisposed) {
          const content = new PatternCatalogue({
            patterns: ml.patterns,
            commands: app.commands,
            contents: app.serviceManager.contents,
            translator
          });
          widget = new MainAreaWidget({ content });
          widget.id = 'jp-MLDebuggerPatterns';
          widget.title.label = trans.__('Debugging Patterns');
          widget.title.icon = bugIcon;
          widget.title.closable = true;
        }
        openInMainArea(app.shell, widget);
      }
    });
    const category = trans.__('ML Debugger');
    palette?.addItem({ command: PatternsCommandIDs.open, category });
    launcher?.add({ command: PatternsCommandIDs.open, category });
  }
};
