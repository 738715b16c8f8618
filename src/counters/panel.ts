/**
 * The Counters section of the debugger sidebar.
 */
import type { ITranslator } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { PanelWithToolbar } from '@jupyterlab/ui-components';
import { CommandToolbarButton } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import { SectionPanel } from '../dom/sectionPanel';
import type { IPattern } from '../patterns/registry';
import { CountersBody } from './body';
import type { CountersModel } from './model';

/**
 * Memory, device memory, threads, child processes and file descriptors over
 * time, per-thread CPU, and the counters that only grow.
 */
export class CountersPanel extends SectionPanel {
  constructor(options: CountersPanel.IOptions) {
    // Kept up to date from a background tab too, for its badge.
    super({ ...options, shown: options.model, whileHidden: 'watch' });
    const { model, commands, commandIds, patterns } = options;
    const translator = options.translator ?? nullTranslator;
    const trans = translator.load('jupyterlab_ml_debugger');
    this.id = 'jp-MLDebuggerCounters';
    this.addClass('jp-MLDebuggerCounters');
    this.title.label = trans.__('Counters');
    this.title.caption = patterns.map(p => `${p.name}: ${p.explanation}`).join('\n');
    this.toolbar.node.setAttribute('aria-label', trans.__('Counters toolbar'));
    this.toolbar.addItem(
      'sample',
      new CommandToolbarButton({ commands, id: commandIds.sample, args: { toolbar: true }, label: '' })
    );
    this.addWidget(new CountersBody({ model, translator }));
  }
}

export namespace CountersPanel {
  export interface IOptions extends PanelWithToolbar.IOptions {
    model: CountersModel;
    commands: CommandRegistry;
    commandIds: { sample: string };
    /** Counter Value and Memory Leak / Handle Leak, for the caption. */
    patterns: IPattern[];
    translator?: ITranslator;
  }
}
