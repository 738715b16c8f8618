/**
 * The Trace section of the debugger sidebar (the Code Trace / Usage Trace
 * pattern).
 */
import type { ITranslator } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { PanelWithToolbar } from '@jupyterlab/ui-components';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import { SectionPanel } from '../dom/sectionPanel';
import type { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import type { IPattern } from '../patterns/registry';
import { TraceBody } from './body';

/**
 * Every breakpoint hit with its log text and recorded values.
 */
export class TracePanel extends SectionPanel {
  constructor(options: TracePanel.IOptions) {
    super({ ...options, shown: options.source });
    const { commands, commandIds, pattern, source } = options;
    const translator = options.translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_ml_debugger');
    this.id = 'jp-MLDebuggerTrace';
    this.addClass('jp-MLDebuggerTrace');
    this.title.label = pattern.section;
    this.title.caption = trans.__('%1: %2', pattern.name, pattern.explanation);

    this.toolbar.addClass('jp-MLDebuggerTrace-toolbar');
    this.toolbar.node.setAttribute('aria-label', trans.__('Trace toolbar'));
    for (const [name, id] of [
      ['export', commandIds.exportCsv],
      ['plot', commandIds.plotColumn],
      ['clear', commandIds.clear]
    ] as const) {
      this.toolbar.addItem(
        name,
        new CommandToolbarButton({ commands, id, args: { toolbar: true } })
      );
    }

    const subtitle = new Widget();
    subtitle.addClass('jp-MLDebuggerTrace-subtitle');
    subtitle.node.textContent = pattern.explanation;
    subtitle.node.title = pattern.explanation;
    this.addWidget(subtitle);
    this.addWidget(
      new TraceBody({
        source,
        commands,
        plotCommand: commandIds.plotColumn,
        translator
      })
    );
  }
}

export namespace TracePanel {
  /** The trace to show, told whether the section is on screen. */
  export interface ISource extends TraceBody.ISource {
    isShown: boolean;
  }

  export interface IOptions extends PanelWithToolbar.IOptions {
    source: ISource;
    commands: CommandRegistry;
    commandIds: ICommandIds;
    /** The Code Trace pattern, which names and explains the section. */
    pattern: IPattern;
    translator?: ITranslator;
  }

  export interface ICommandIds {
    exportCsv: string;
    clear: string;
    plotColumn: string;
  }
}
