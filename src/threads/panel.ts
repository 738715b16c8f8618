/**
 * The Threads section of the debugger sidebar.
 */
import type { ITranslator } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { PanelWithToolbar } from '@jupyterlab/ui-components';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { SectionPanel } from '../dom/sectionPanel';
import type { IPattern } from '../patterns/registry';
import { ThreadsBody } from './body';
import { BlockingModuleFilter, ThreadStateFilter } from './filterBar';
import type { ThreadsModel } from './model';

/**
 * Every thread's stack (Stack Trace Collection), whether it runs or waits
 * (Active Thread, Blocked Thread, Blocking Module), the thread using the CPU
 * (Spiking Thread) and who waits for whom (Wait Chain / Deadlock).
 */
export class ThreadsPanel extends SectionPanel {
  constructor(options: ThreadsPanel.IOptions) {
    // Kept up to date from a background tab too, for its badge.
    super({ ...options, shown: options.model, whileHidden: 'watch' });
    const { model, commands, commandIds, patterns } = options;
    const translator = options.translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_ml_debugger');
    this.id = 'jp-MLDebuggerThreads';
    this.addClass('jp-MLDebuggerThreads');
    this.title.label = trans.__('Threads');
    const [first] = patterns;
    this.title.caption = `${patterns.map(p => p.name).join(', ')}: ${first?.explanation ?? ''}`;
    this.toolbar.node.setAttribute('aria-label', trans.__('Threads toolbar'));
    // Filters first: Active Thread, Blocked Thread and Blocking Module narrow the list.
    this.toolbar.addItem('state-filter', new ThreadStateFilter(model, trans));
    this.toolbar.addItem('module-filter', new BlockingModuleFilter(model, trans));
    for (const [name, id] of [
      ['break-in', commandIds.breakIn],
      ['refresh', commandIds.refresh]
    ] as const) {
      this.toolbar.addItem(
        name,
        new CommandToolbarButton({ commands, id, args: { toolbar: true }, label: '' })
      );
    }
    this.addWidget(new ThreadsBody({ model, translator }));
  }
}

export namespace ThreadsPanel {
  export interface IOptions extends PanelWithToolbar.IOptions {
    model: ThreadsModel;
    commands: CommandRegistry;
    commandIds: { refresh: string; breakIn: string };
    /** The patterns the section serves; the first one's explanation is the caption's. */
    patterns: IPattern[];
    translator?: ITranslator;
  }
}
