/**
 * The Counters plugin: a sidebar section sampling the kernel's counters
 * (Counter Value) and flagging those that only grow (Memory Leak / Handle
 * Leak), and its "Sample Counters" command.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { IDebugger, IDebuggerSidebar } from '@jupyterlab/debugger';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator } from '@jupyterlab/translation';
import { revealSection, startFolded } from '../dom/reveal';
import { NOTEBOOK_EXECUTIONS } from '../executions';
import { PatternRegistry } from '../patterns/registry';
import { followMainSettings, readSettings } from '../settings';
import { IMLDebugger } from '../tokens';
import { addCountersCommands, CountersCommandIDs } from './commands';
import { CountersModel } from './model';
import { CountersPanel } from './panel';
import { CountersService } from './service';

export const countersPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:counters',
  description:
    'A Counters section in the debugger sidebar: memory, device memory, threads, child processes and open files over time, CPU by thread, and leak flags with what grows.',
  autoStart: true,
  requires: [IDebugger, IDebuggerSidebar, INotebookTracker, ITranslator, IMLDebugger],
  optional: [ICommandPalette, ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    debug: IDebugger,
    sidebar: IDebugger.ISidebar,
    notebookTracker: INotebookTracker,
    translator: ITranslator,
    ml: IMLDebugger,
    palette: ICommandPalette | null,
    settingRegistry: ISettingRegistry | null
  ): void => {
    const trans = translator.load('jupyterlab_ml_debugger');
    ml.patterns.markAvailable(PatternRegistry.COUNTER_VALUE);
    ml.patterns.markAvailable(PatternRegistry.MEMORY_LEAK);
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
    const panel = new CountersPanel({
      model,
      commands: app.commands,
      commandIds: { sample: CountersCommandIDs.sample },
      patterns: [
        ml.patterns.require(PatternRegistry.COUNTER_VALUE),
        ml.patterns.require(PatternRegistry.MEMORY_LEAK)
      ],
      translator
    });
    sidebar.addWidget(panel);
    startFolded(sidebar, panel);
    addCountersCommands(app.commands, service, {
      trans,
      reveal: () => revealSection(app, sidebar, panel)
    });
    palette?.addItem({ command: CountersCommandIDs.sample, category: trans.__('ML Debugger') });
  }
};
