/**
 * The ML debugger's plugins: construct and wire, nothing else.
 */
import type {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ILayoutRestorer } from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { IStatusBar } from '@jupyterlab/statusbar';
import { IDebugger, IDebuggerSidebar } from '@jupyterlab/debugger';
import { IEditorTracker } from '@jupyterlab/fileeditor';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { IStateDB } from '@jupyterlab/statedb';
import { ITranslator } from '@jupyterlab/translation';
import { addValuesCommands, CommandIDs } from './commands';
import { NOTEBOOK_EXECUTIONS } from './executions';
import { BridgeRegistry } from './kernel/registry';
import { builtinPatterns, PatternRegistry } from './patterns/registry';
import { readSecrets, SecretsSettings } from './secrets/settings';
import { followSettings, readSettings, SETTINGS_PLUGIN_ID } from './settings';
import { IMLDebugger } from './tokens';
import { addViewCommands } from './layout/commands';
import { placeLauncher } from './layout/launcherPlacement';
import { placeValuesSection, revealSection } from './layout/sidebar';
import { MLViews } from './layout/views';
import { VariableValuesModel } from './variables/model';
import { VariableValuesPanel } from './variables/panel';
import { VariableValuesService } from './variables/service';
import { IEditorExtensionRegistry, EditorExtensionRegistry } from '@jupyterlab/codemirror';
import type { CodeEditor } from '@jupyterlab/codeeditor';
import { addBreakpointCommands, BreakpointCommandIDs } from './breakpoints/commands';
import { SetBreakpointsEnricher } from './breakpoints/enrich';
import { breakpointGutter } from './breakpoints/gutter';
import { sourceEditorGutter } from './breakpoints/sourceGutter';
import {
  locateCellGutter,
  locateFileGutter,
  locateSourceGutter,
  sourceEditorPath
} from './breakpoints/locate';
import { GutterRightClick } from './breakpoints/rightClick';
import { BreakpointActionsService } from './breakpoints/service';
import { addStopsCommands, StopsCommandIDs } from './stops/commands';
import { StopsService } from './stops/service';
import { checksPlugin } from './checks/plugin';
import { countersPlugin } from './counters/plugin';
import { modulesPlugin } from './modules/plugin';
import { postmortemPlugin } from './postmortem/plugin';
import { patternsPlugin } from './patterns/plugin';
import { structurePlugin } from './structure/plugin';
import { viewerPlugin } from './viewer/plugin';

import { tracePlugin } from './trace/plugin';
import { watchPlugin } from './watch/plugin';
import { threadsPlugin } from './threads/plugin';
import { crashPlugin } from './crash/plugin';

const PLUGIN_ID = SETTINGS_PLUGIN_ID;

/**
 * Shared services, the views of the down area with their status bar menu,
 * and the Variable Values section of the debugger sidebar.
 */
const plugin: JupyterFrontEndPlugin<IMLDebugger> = {
  id: PLUGIN_ID,
  description:
    'Variable Values in the debugger sidebar, the ML Debugger views below the notebook, and the kernel bridges and pattern registry they share.',
  autoStart: true,
  provides: IMLDebugger,
  requires: [
    IDebugger,
    IDebuggerSidebar,
    INotebookTracker,
    ISettingRegistry,
    ITranslator
  ],
  optional: [ICommandPalette, ILayoutRestorer, IStatusBar],
  activate: (
    app: JupyterFrontEnd,
    debug: IDebugger,
    sidebar: IDebugger.ISidebar,
    notebookTracker: INotebookTracker,
    settingRegistry: ISettingRegistry,
    translator: ITranslator,
    palette: ICommandPalette | null,
    restorer: ILayoutRestorer | null,
    statusBar: IStatusBar | null
  ): IMLDebugger => {
    const trans = translator.load('jupyterlab_ml_debugger');
    const secrets = new SecretsSettings({
      onError: reason =>
        Notification.error(
          trans.__(
            'A kernel did not take the settings for masking secrets: %1. Restart the kernel to apply them.',
            reason instanceof Error ? reason.message : String(reason)
          )
        )
    });
    const bridges = new BridgeRegistry({
      stoppedFrame: kernel =>
        debug.session?.connection?.kernel === kernel
          ? (debug.model.callstack.frame?.id ?? null)
          : null,
      setup: () => secrets.setup()
    });
    const patterns = new PatternRegistry({ patterns: builtinPatterns(trans) });

    const model = new VariableValuesModel();
    const service = new VariableValuesService({
      debugger: debug,
      notebookTracker,
      bridges,
      model,
      executions: NOTEBOOK_EXECUTIONS,
      translator
    });
    addValuesCommands(app.commands, service, trans);

    const views = new MLViews({ shell: app.shell, restorer });
    addViewCommands(app.commands, views, trans);
    placeLauncher(app.shell, statusBar, {
      views,
      commands: app.commands,
      trans,
      leading: [CommandIDs.showValues]
    });

    const valuesPanel = new VariableValuesPanel({
      model,
      commands: app.commands,
      commandIds: {
        refresh: CommandIDs.refreshValues,
        toggleScopeGroups: CommandIDs.toggleValuesScopeGroups,
        toggleRow: CommandIDs.toggleValueRow,
        showRepr: CommandIDs.showRepr,
        revealValue: CommandIDs.revealValue
      },
      pattern: patterns.require(PatternRegistry.VARIABLE_VALUE),
      translator
    });
    placeValuesSection(sidebar, valuesPanel);
    app.commands.addCommand(CommandIDs.showValues, {
      label: trans.__('Variable Values'),
      caption: trans.__('Show Variable Values in the debugger sidebar'),
      execute: () => revealSection(app.shell, sidebar, valuesPanel)
    });

    if (palette) {
      const category = trans.__('ML Debugger');
      palette.addItem({ command: CommandIDs.showValues, category });
      palette.addItem({ command: CommandIDs.refreshValues, category });
      palette.addItem({ command: CommandIDs.toggleValuesSort, category });
      palette.addItem({ command: CommandIDs.toggleValuesScopeGroups, category });
    }

    followSettings(settingRegistry, PLUGIN_ID, settings => {
      service.settings = readSettings(settings);
      void secrets.update(readSecrets(settings), bridges.bridges);
    }).catch(reason => {
      Notification.warning(
        trans.__(
          'The ML debugger settings could not be loaded (%1); the defaults are used. Check them in the Settings Editor.',
          String(reason)
        )
      );
    });

    return { bridges, patterns, values: model, views };
  }
};

/**
 * Breakpoint actions: conditions, hit counts, log messages and actions on
 * gutter breakpoints, saved in cell metadata and sent with every
 * `setBreakpoints`; edited by right-clicking the gutter.
 */
const breakpointsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:breakpoints',
  description:
    'Breakpoint conditions, hit counts, log messages and actions, kept in cell metadata.',
  autoStart: true,
  requires: [IDebugger, INotebookTracker, ITranslator, IMLDebugger],
  optional: [IEditorExtensionRegistry, ICommandPalette, IEditorTracker, IStateDB],
  activate: (
    app: JupyterFrontEnd,
    debug: IDebugger,
    notebookTracker: INotebookTracker,
    translator: ITranslator,
    ml: IMLDebugger,
    extensions: IEditorExtensionRegistry | null,
    palette: ICommandPalette | null,
    editorTracker: IEditorTracker | null,
    state: IStateDB | null
  ): void => {
    const trans = translator.load('jupyterlab_ml_debugger');
    ml.patterns.markAvailable(PatternRegistry.BREAKPOINT_ACTION);
    const service = new BreakpointActionsService({
      debugger: debug,
      bridges: ml.bridges,
      translator,
      state
    });
    notebookTracker.forEach(panel => service.addNotebook(panel));
    notebookTracker.widgetAdded.connect((_, panel) => service.addNotebook(panel));
    const files = service.files;
    editorTracker?.forEach(widget => files.addFileEditor(widget));
    editorTracker?.widgetAdded.connect((_, widget) => files.addFileEditor(widget));
    new SetBreakpointsEnricher({ debugger: debug, source: service });
    const fileEditors = editorTracker && { tracker: editorTracker, shell: app.shell };
    addBreakpointCommands(app.commands, service, notebookTracker, translator, fileEditors);
    new GutterRightClick({
      host: app.shell.node,
      commands: app.commands,
      command: BreakpointCommandIDs.editBreakpoint,
      locate: (target, event) =>
        locateCellGutter(notebookTracker, target, event) ??
        (editorTracker && locateFileGutter(editorTracker, debug, target, event)) ??
        locateSourceGutter(() => app.shell.widgets('main'), debug, target, event)
    });

    extensions?.addExtension({
      name: 'jupyterlab-ml-debugger:breakpoint-actions',
      factory: options => {
        const model = options.model as CodeEditor.IModel & { id?: unknown };
        const cellId = model.id;
        // A cell's editor is keyed by its cell's id; a file editor (the only
        // other document editor) by its path, known once its context is ready;
        // a kernel-source editor by the path its tab shows.
        const extension =
          typeof cellId === 'string'
            ? breakpointGutter(() => cellId, service, trans)
            : options.inline
              ? sourceEditorGutter(
                  node => sourceEditorPath(() => app.shell.widgets('main'), node),
                  service,
                  trans
                )
              : breakpointGutter(() => files.model.pathOf(model.sharedModel), service, trans);
        return EditorExtensionRegistry.createImmutableExtension(extension);
      }
    });

    if (palette) {
      const category = trans.__('ML Debugger');
      palette.addItem({ command: BreakpointCommandIDs.editBreakpoint, category });
      palette.addItem({
        command: BreakpointCommandIDs.removeBreakpointActions,
        category
      });
    }
  }
};

/**
 * What makes the debugger stop besides line breakpoints: exception types,
 * unhandled exceptions when the user's setting asks for them, and breakpoint() calls.
 */
const stopsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-ml-debugger:stops',
  description:
    'Exception breakpoints narrowed to exception types, unhandled exceptions on request, and breakpoint() in cells.',
  autoStart: true,
  requires: [IDebugger, ISettingRegistry, ITranslator, IMLDebugger],
  optional: [ICommandPalette],
  activate: async (
    app: JupyterFrontEnd,
    debug: IDebugger,
    settingRegistry: ISettingRegistry,
    translator: ITranslator,
    ml: IMLDebugger,
    palette: ICommandPalette | null
  ): Promise<void> => {
    const trans = translator.load('jupyterlab_ml_debugger');
    const service = new StopsService({
      debugger: debug,
      bridges: ml.bridges,
      onError: reason =>
        Notification.error(
          trans.__(
            'The debugger could not apply the stop settings: %1. Switch the debugger off and on to try again.',
            reason instanceof Error ? reason.message : String(reason)
          )
        )
    });
    const settings = await followSettings(
      settingRegistry,
      'jupyterlab-ml-debugger:stops',
      ({ composite }) => {
        service.settings = {
          exceptionTypes: composite.exceptionTypes as string[],
          stopOnUnhandledExceptions: composite.stopOnUnhandledExceptions as boolean,
          breakpointCallsStop: composite.breakpointCallsStop as boolean
        };
      }
    );
    addStopsCommands(app.commands, settings, trans);
    palette?.addItem({
      command: StopsCommandIDs.setExceptionTypes,
      category: trans.__('ML Debugger')
    });
  }
};

export default [
  plugin,
  breakpointsPlugin,
  watchPlugin,
  tracePlugin,
  stopsPlugin,
  structurePlugin,
  viewerPlugin,
  checksPlugin,
  countersPlugin,
  modulesPlugin,
  threadsPlugin,
  postmortemPlugin,
  crashPlugin,
  patternsPlugin
];
