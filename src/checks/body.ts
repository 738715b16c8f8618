/**
 * The body of the Checks section: NaN/Inf found where the debugger stands,
 * the origin of the first NaN/Inf a watch saw, gradient health with
 * sparklines, the last shape error explained, the checked step's findings
 * and the last data check. Values are text, never HTML.
 */
import type { ITranslator, TranslationBundle } from '@jupyterlab/translation';
import { nullTranslator } from '@jupyterlab/translation';
import type { CommandRegistry } from '@lumino/commands';
import { Widget } from '@lumino/widgets';
import type { IHealth, IOrigin, ITensorFacts } from '../kernel/checksProtocol';
import { textNode, textTable } from '../dom/text';
import { createSparkline } from '../sparkline/widget';
import { formatShape } from '../structure/tree';
import { formatValue } from '../viewer/slicing';
import type { ChecksModel } from './model';

const CLASS = 'jp-MLDebuggerChecks';

/**
 * Renders a ChecksModel.
 */
export class ChecksBody extends Widget {
  constructor(options: ChecksBody.IOptions) {
    super();
    this._model = options.model;
    this._commands = options.commands;
    this._unwatch = options.unwatchCommand;
    this._trans = (options.translator ?? nullTranslator).load('jupyterlab_ml_debugger');
    this.addClass(`${CLASS}-body`);
    this._model.changed.connect(this._render, this);
    this.node.addEventListener('click', this._onClick);
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
    if (model.status === 'empty') {
      nodes.push(this._note(trans.__('Switch the debugger on: the checks run at every stop and after every cell.')));
    } else if (model.status === 'error') {
      nodes.push(this._note(model.message, `${CLASS}-message-error`));
    } else {
      if (model.where) {
        nodes.push(textNode('div', `${CLASS}-where`, trans.__('Checked: %1', model.where)));
      }
      if (model.message) {
        nodes.push(this._note(model.message, `${CLASS}-message-error`));
      }
      nodes.push(...this._scan(), ...this._origin(), ...this._health(), ...this._shape(), ...this._checked());
    }
    nodes.push(...this._defects());
    this.node.replaceChildren(...nodes);
    this.node.setAttribute('aria-busy', String(model.status === 'loading'));
  }

  private _scan(): HTMLElement[] {
    const trans = this._trans;
    const scan = this._model.scan;
    if (!scan) {
      return [];
    }
    const out = [this._heading(trans.__('NaN/Inf in reach'))];
    if (!scan.findings.length) {
      out.push(
        this._note(
          trans.__('No NaN or Inf in %1 tensors (%2 unchanged since the last scan).', scan.tensors, scan.skipped)
        )
      );
    } else {
      out.push(
        textTable(
          `${CLASS}-findings ${CLASS}-bad`,
          [trans.__('tensor'), trans.__('shape'), trans.__('NaN'), trans.__('Inf'), trans.__('first at')],
          scan.findings.map(f => [
            f.path,
            `${formatShape(f.shape)} ${f.dtype} ${f.device}`,
            String(f.nan),
            String(f.inf),
            f.first ? formatShape(f.first) : ''
          ])
        )
      );
    }
    if (scan.cut) {
      out.push(this._note(trans.__('Scan cut short: %1', scan.cut)));
    }
    return out;
  }

  private _origin(): HTMLElement[] {
    const trans = this._trans;
    const report = this._model.report;
    if (!report || (!report.watches.length && !report.origin)) {
      return [];
    }
    const out = [this._heading(trans.__('NaN/Inf origin'))];
    for (const watch of report.watches) {
      const line = textNode(
        'div',
        `${CLASS}-watch`,
        watch.health !== false
          ? trans.__('Watching %1: %2 modules, %3 steps (%4)', watch.label, watch.modules, watch.steps, watch.mode)
          : trans.__(
              'Watching %1 for origins only, without gradient health: %2 modules, %3 steps (%4)',
              watch.label,
              watch.modules,
              watch.steps,
              watch.mode
            )
      );
      const remove = document.createElement('button');
      remove.className = `${CLASS}-unwatch jp-mod-styled`;
      remove.dataset.label = watch.label;
      remove.textContent = trans.__('Remove');
      remove.title = trans.__('Remove every hook of the watch on %1', watch.label);
      line.appendChild(remove);
      out.push(line);
    }
    if (report.origin) {
      out.push(...this._originReport(report.origin));
    } else if (report.watches.length) {
      out.push(this._note(trans.__('No NaN or Inf seen so far.')));
    }
    return out;
  }

  private _originReport(origin: IOrigin): HTMLElement[] {
    const trans = this._trans;
    const verdict = origin.created
      ? trans.__('%1 (%2) created the first NaN/Inf in the %3 pass of step %4: its inputs were finite.', origin.path, origin.cls, origin.phase, origin.step)
      : trans.__('%1 (%2) passed on a NaN/Inf in the %3 pass of step %4: its inputs already held it.', origin.path, origin.cls, origin.phase, origin.step);
    const facts = (kind: string, list: ITensorFacts[]) =>
      list.map(f => [
        kind,
        f.name,
        `${formatShape(f.shape)} ${f.dtype}`,
        // -1: a device-mode tensor freed before its flags were read.
        f.nan < 0 ? '?' : String(f.nan),
        f.inf < 0 ? '?' : String(f.inf),
        f.min === null ? '' : formatValue(f.min),
        f.max === null ? '' : formatValue(f.max)
      ]);
    return [
      textNode('div', `${CLASS}-origin ${CLASS}-bad`, verdict),
      textTable(
        `${CLASS}-facts`,
        [trans.__('role'), trans.__('name'), trans.__('shape'), trans.__('NaN'), trans.__('Inf'), trans.__('min'), trans.__('max')],
        [
          ...facts(trans.__('input'), origin.inputs),
          ...facts(trans.__('output'), origin.outputs),
          ...facts(trans.__('weight'), origin.weights)
        ]
      )
    ];
  }

  private _health(): HTMLElement[] {
    const trans = this._trans;
    const health: IHealth | null | undefined = this._model.report?.health;
    if (!health || !health.params.length) {
      return [];
    }
    const updates = health.params.some(p => p.updateRatio !== null);
    const number = (n: number | null) => (n === null ? '' : formatValue(n));
    const table = textTable(
      `${CLASS}-health`,
      [
        trans.__('parameter'),
        trans.__('grad norm'),
        trans.__('grad/weight'),
        ...(updates ? [trans.__('update/weight')] : []),
        trans.__('over steps'),
        trans.__('flag')
      ],
      health.params.map(p => [
        p.path,
        number(p.gradNorm),
        number(p.ratio),
        ...(updates ? [number(p.updateRatio)] : []),
        '',
        p.flag ?? ''
      ])
    );
    const sparkColumn = updates ? 4 : 3;
    // The sparkline cells hold SVG, made from numbers only.
    const rows = table.querySelectorAll('tbody tr');
    health.params.forEach((p, i) => {
      const cell = rows[i]?.children[sparkColumn];
      if (cell && p.history.length > 1) {
        cell.appendChild(createSparkline(p.history, trans.__('gradient norm of %1 over steps', p.path)));
      }
      if (p.flag) {
        rows[i]?.classList.add(`${CLASS}-flagged`);
      }
    });
    const out = [this._heading(trans.__('Gradient health at step %1', health.step)), table];
    if (health.updateNote) {
      out.push(this._note(health.updateNote));
    }
    return out;
  }

  private _shape(): HTMLElement[] {
    const trans = this._trans;
    const error = this._model.shapeError;
    if (!error) {
      return [];
    }
    const rows: string[][] = [[trans.__('error'), error.exception]];
    if (error.module) {
      rows.push([trans.__('module'), `${error.module}${error.cls ? ` (${error.cls})` : ''}`]);
    }
    if (error.expects) {
      rows.push([trans.__('expects'), error.expects]);
    }
    if (error.received) {
      rows.push([trans.__('received'), error.received]);
    }
    if (error.where) {
      rows.push([trans.__('where'), `${error.where.name} (${error.where.path}:${error.where.line})`]);
    }
    return [
      this._heading(trans.__('Last error explained')),
      textNode('div', `${CLASS}-shape ${CLASS}-bad`, error.message),
      textTable(`${CLASS}-facts`, [], rows)
    ];
  }

  private _checked(): HTMLElement[] {
    const trans = this._trans;
    const step = this._model.checkedStep;
    if (!step || step.state === 'idle') {
      return [];
    }
    const out = [this._heading(trans.__('Checked step'))];
    if (step.state === 'armed') {
      out.push(this._note(trans.__('Checking the running step; the findings show when optimizer.step() returns or at the next stop.')));
    } else if (!step.findings.length) {
      out.push(this._note(trans.__('The step ran clean: no growing broadcast, no float64, no mixed devices.')));
    }
    if (step.findings.length) {
      out.push(
        textTable(
          `${CLASS}-checked ${CLASS}-bad`,
          [trans.__('kind'), trans.__('what'), trans.__('where')],
          step.findings.map(f => [f.kind, f.message, `${f.path}:${f.line}`])
        )
      );
    }
    return out;
  }

  private _defects(): HTMLElement[] {
    const trans = this._trans;
    const defects = this._model.defects;
    if (!defects) {
      return [];
    }
    const { label, result } = defects;
    const out = [this._heading(trans.__('Data defects of %1', label))];
    out.push(
      this._note(
        (result.defects.length
          ? trans._n('%1 finding in %2 rows', '%1 findings in %2 rows', result.defects.length, result.rows)
          : trans.__('No defects found in %1 rows.', result.rows)) +
          (result.sampled ? ' ' + trans.__('(checked on a sample)') : '')
      )
    );
    out.push(...result.notes.map(n => this._note(n)));
    if (result.defects.length) {
      out.push(
        textTable(
          `${CLASS}-defects`,
          [trans.__('kind'), trans.__('column'), trans.__('what')],
          result.defects.map(d => [d.kind, d.column ?? '', d.message])
        )
      );
    }
    return out;
  }

  private _heading(text: string): HTMLElement {
    return textNode('div', `${CLASS}-heading`, text);
  }

  private _note(text: string, extra?: string): HTMLElement {
    const node = textNode('div', `${CLASS}-message`, text);
    if (extra) {
      node.classList.add(extra);
    }
    return node;
  }

  private _onClick = (event: MouseEvent): void => {
    const button = (event.target as HTMLElement).closest<HTMLElement>(`.${CLASS}-unwatch`);
    if (button?.dataset.label) {
      void this._commands.execute(this._unwatch, { label: button.dataset.label });
    }
  };

  private _model: ChecksModel;
  private _commands: CommandRegistry;
  private _unwatch: string;
  private _trans: TranslationBundle;
}

export namespace ChecksBody {
  export interface IOptions {
    model: ChecksModel;
    commands: CommandRegistry;
    /** The command that removes a watch, given its `label`. */
    unwatchCommand: string;
    translator?: ITranslator;
  }
}
