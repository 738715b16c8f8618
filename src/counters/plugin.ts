/**
 * The Counters plugin: a view sampling the kernel's counters (Counter Value)
 * and flagging those that only grow (Memory Leak / Handle Leak), and its
 * "Sample Counters" command.
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
import { countersAttention } from './attention';
import { addCountersCommands, CountersCommandIDs } from './commands';
import { CountersModel } from './model';
import { CountersPanel } from './panel';
import { CountersService } from './service';

export const countersPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:counters',
  description:
    'A Counters view: memory, device memory, threads, child processes and open files over time, CPU by thread, and leak flags with what grows.',
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
    const model = new CountersModel();
    const service = new CountersService({
      debugger: debug,
      notebookTracker,
      bridges: ml.bridges,
      model,
      executions: NOTEBOOK_EXECUTIONS,
      translator
    });
    // Sampled at the live refresh interval: one rule for how often a running cell is read.
    followMainSettings(settingRegistry, settings => {
      const { refreshInterval, requestTimeoutMs } = readSettings(settings);
      service.settings = { refreshInterval, requestTimeoutMs };
    });
    const patterns = [PatternRegistry.COUNTER_VALUE, PatternRegistry.MEMORY_LEAK];
    const reveal = registerView({
      ml,
      palette,
      trans,
      patterns,
      commands: [CountersCommandIDs.sample],
      view: {
        key: 'counters',
        label: trans.__('Counters'),
        rank: 60,
        shown: model,
        create: () =>
          new CountersPanel({
            model,
            commands: app.commands,
            commandIds: { sample: CountersCommandIDs.sample },
            patterns: patterns.map(id => ml.patterns.require(id)),
            translator
          }),
        attention: countersAttention(model, trans)
      }
    });
    addCountersCommands(app.commands, service, { trans, reveal });
  }
};
