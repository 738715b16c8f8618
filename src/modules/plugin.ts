/**
 * The Modules plugin: a view listing the kernel's loaded modules
 * (Module Collection) and what differs from the requirements (Not My
 * Version), and its commands.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDebugger } from '@jupyterlab/debugger';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { NOTEBOOK_EXECUTIONS } from '../executions';
import { PatternRegistry } from '../patterns/registry';
import { registerView } from '../layout/register';
import { followMainSettings, readSettings } from '../settings';
import { IMLDebugger } from '../tokens';
import { modulesAttention } from './attention';
import { addModulesCommands, ModulesCommandIDs } from './commands';
import { ModulesModel } from './model';
import { ModulesPanel } from './panel';
import { ModulesService } from './service';

export const modulesPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:modules',
  description:
    'A Modules view: loaded modules with versions, origins and paths, shadowed and doubly installed packages, and a check against a requirements file.',
  autoStart: true,
  requires: [IDebugger, INotebookTracker, ITranslator, IMLDebugger],
  optional: [ICommandPalette, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    debug: IDebugger,
    notebookTracker: INotebookTracker,
    translator: ITranslator,
    ml: IMLDebugger,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    const trans = translator.load('jupyterlab_ml_debugger');
    const model = new ModulesModel();
    const service = new ModulesService({
      debugger: debug,
      notebookTracker,
      bridges: ml.bridges,
      model,
      executions: NOTEBOOK_EXECUTIONS,
      translator
    });
    followMainSettings(settingRegistry, settings => {
      service.requestTimeoutMs = readSettings(settings).requestTimeoutMs;
      const file = settings.composite.requirementsFile;
      service.requirementsFile = typeof file === 'string' ? file : '';
    });
    const reveal = registerView({
      ml,
      palette,
      trans,
      patterns: [PatternRegistry.MODULE_COLLECTION],
      commands: [ModulesCommandIDs.show, ModulesCommandIDs.checkRequirements],
      view: {
        key: 'modules',
        label: trans.__('Modules'),
        rank: 80,
        shown: model,
        create: () =>
          new ModulesPanel({
            model,
            commands: app.commands,
            commandIds: {
              show: ModulesCommandIDs.show,
              checkRequirements: ModulesCommandIDs.checkRequirements
            },
            pattern: ml.patterns.require(PatternRegistry.MODULE_COLLECTION),
            translator
          }),
        attention: modulesAttention(model, trans)
      }
    });
    addModulesCommands(app.commands, service, { trans, reveal });
  }
};
