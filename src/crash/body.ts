/**
 * The body of the Crash and Hang view: the crash report of the current
 * notebook's kernel, then, while a cell runs, its hang flag or the kernel
 * not answering and the stacks read from outside; empty, loading and error
 * states; whether the crash recorder is armed. Values are text, never HTML.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import { textNode } from '../dom/text';
import { renderHang, renderOutside, renderStalled } from './hangView';
import type { CrashModel } from './model';
import { renderReport } from './reportView';

const CLASS = 'jp-MLDebuggerCrash';

/**
 * Renders a CrashModel; its buttons run the view's commands.
 */
export class CrashBody extends Widget {
  constructor(options: CrashBody.IOptions) {
    super();
    this._model = options.model;
    this._commands = options.commands;
    this._ids = options.commandIds;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this.addClass(`${CLASS}-body`);
    this._model.changed.connect(this._render, this);
    this._render();
  }

  dispose(): void {
    this._model.changed.disconnect(this._render, this);
    super.dispose();
  }

  private _render(): void {
    const model = this._model;
    const trans = this._trans;
    const nodes: HTMLElement[] = [];
    if (model.kernelId === null) {
      nodes.push(this._note(trans.__('Open a notebook with a kernel to see how its kernel ended or where a running cell hangs.')));
      this.node.replaceChildren(...nodes);
      return;
    }
    if (model.reportsError) {
      nodes.push(this._note(model.reportsError, `${CLASS}-message-error`));
    }
    const report = model.report;
    if (report) {
      nodes.push(renderReport(report, this._reportActions(report.id), trans));
      if (model.reports.length > 1) {
        nodes.push(
          this._note(
            trans._n(
              '%1 earlier crash report of this kernel: dismiss this one to see it.',
              '%1 earlier crash reports of this kernel: dismiss this one to see the next.',
              model.reports.length - 1
            )
          )
        );
      }
    } else if (model.reportsLoading) {
      nodes.push(this._note(trans.__('Reading the crash reports…')));
    }
    nodes.push(...this._live());
    if (!report && !model.running && !model.reportsLoading && !model.reportsError) {
      nodes.push(this._note(trans.__('No crash or hang for this kernel.'), `${CLASS}-empty`));
    }
    nodes.push(this._recorderNote());
    this.node.replaceChildren(...nodes);
    this.node.setAttribute('aria-busy', String(model.reportsLoading || model.outsideLoading));
  }

  /** The running cell: its hang flag, or the kernel not answering, and the stacks from outside. */
  private _live(): HTMLElement[] {
    const model = this._model;
    const trans = this._trans;
    const out: HTMLElement[] = [];
    if (!model.running) {
      return out;
    }
    if (model.stalledSeconds !== null) {
      out.push(
        renderStalled(
          model.stalledSeconds,
          {
            run: () => void this._commands.execute(this._ids.readOutside),
            enabled: !model.outsideLoading,
            label: trans.__('Read stacks from outside')
          },
          trans
        )
      );
    }
    if (model.hangError) {
      out.push(this._note(model.hangError, `${CLASS}-message-error`));
    }
    if (model.hang) {
      out.push(renderHang(model.hang, model.hangReadAt ?? Date.now(), trans));
    } else if (model.stalledSeconds === null && !model.hangError) {
      out.push(this._note(trans.__('A cell is running; a hang is flagged here if it stops making progress.')));
    }
    if (model.outsideLoading) {
      out.push(this._note(trans.__('Reading the stacks from outside the kernel…')));
    }
    if (model.outsideError) {
      out.push(this._note(model.outsideError, `${CLASS}-message-error`));
    }
    if (model.outside) {
      out.push(renderOutside(model.outside, trans));
    }
    return out;
  }

  private _recorderNote(): HTMLElement {
    const trans = this._trans;
    const recorder = this._model.recorder;
    const text =
      recorder === null
        ? trans.__('The crash recorder is not armed yet: it arms when the probe loads in this kernel.')
        : recorder.armed
          ? trans.__('The crash recorder is armed: if this kernel dies, how and where is reported here.')
          : trans.__('The crash recorder is not armed: %1', recorder.reason ?? trans.__('the kernel did not say why.'));
    return this._note(text, `${CLASS}-recorder`);
  }

  private _reportActions(reportId: string) {
    const ids = this._ids;
    const commands = this._commands;
    return {
      showCell: (cellId: string) => void commands.execute(ids.showCell, { cellId }),
      canShowCell: (cellId: string) => commands.isEnabled(ids.showCell, { cellId }),
      dismiss: {
        run: () => void commands.execute(ids.dismiss),
        enabled: this._model.dismissing !== reportId,
        label: this._trans.__('Dismiss')
      }
    };
  }

  private _note(text: string, extra?: string): HTMLElement {
    const node = textNode('div', `${CLASS}-message`, text);
    if (extra) {
      node.classList.add(extra);
    }
    return node;
  }

  private _model: CrashModel;
  private _commands: CommandRegistry;
  private _ids: CrashBody.ICommandIds;
  private _trans: TranslationBundle;
}

export namespace CrashBody {
  export interface ICommandIds {
    /** Dismiss the report shown. */
    dismiss: string;
    /** Read every thread's stack from outside the kernel. */
    readOutside: string;
    /** Scroll the notebook to a cell, by `cellId`. */
    showCell: string;
  }

  export interface IOptions {
    model: CrashModel;
    commands: CommandRegistry;
    commandIds: ICommandIds;
    translator?: ITranslator;
  }
}
