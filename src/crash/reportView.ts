/**
 * A crash report as the view draws it: how the kernel ended, the cause in
 * one sentence, the last cell and its line (a link to the cell), the last
 * memory samples, and every thread's stack at the fatal signal, the
 * thread that received it first. Text only.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { textNode } from '../dom/text';
import { createSparkline } from '../sparkline/widget';
import { formatBytes } from './format';
import type { ICrashReport, ICrashThread, ILastCell } from './reports';
import { threadBlock } from './stackList';

const CLASS = 'jp-MLDebuggerCrash';

/** What the report's controls run: their command ids are the view's. */
export interface IReportActions {
  /** Bring the notebook's cell into view. */
  showCell: (cellId: string) => void;
  /** Whether the cell is in an open notebook, so the link can lead there. */
  canShowCell: (cellId: string) => boolean;
  /** Dismiss the report; disabled while it is being dismissed. */
  dismiss: { run: () => void; enabled: boolean; label: string };
}

/** "Killed by SIGKILL (signal 9): …", "Exited with code 3", or that it is not known. */
export function endingText(report: ICrashReport, trans: TranslationBundle): string {
  if (report.signalName !== null || report.signal !== null) {
    const name = report.signalName ?? trans.__('signal %1', report.signal ?? '?');
    const number = report.signal !== null ? trans.__(' (signal %1)', report.signal) : '';
    return report.signalMeaning
      ? trans.__('Ended by %1%2: %3', name, number, report.signalMeaning)
      : trans.__('Ended by %1%2', name, number);
  }
  if (report.exitCode !== null) {
    return trans.__('Exited with code %1', report.exitCode);
  }
  return trans.__('How the process ended is not known.');
}

/** "In [7], line 3, in the cell that begins `y = model(x)`"; what is not known is left out. */
export function lastCellText(cell: ILastCell, trans: TranslationBundle): string {
  const where =
    cell.executionCount !== null ? trans.__('In [%1]', cell.executionCount) : trans.__('the last cell');
  const line = cell.line !== null ? trans.__('%1, line %2', where, cell.line) : where;
  return cell.firstLine ? trans.__('%1, in the cell that begins `%2`', line, cell.firstLine) : line;
}

/** The report, with its heading, sentences, stacks, memory and Dismiss button. */
export function renderReport(
  report: ICrashReport,
  actions: IReportActions,
  trans: TranslationBundle
): HTMLElement {
  const node = document.createElement('section');
  node.className = `${CLASS}-report`;
  node.dataset.reportId = report.id;
  node.setAttribute('aria-label', trans.__('Crash report'));

  const head = document.createElement('div');
  head.className = `${CLASS}-reportHead`;
  const time = new Date(report.endedAt);
  const when = Number.isNaN(time.getTime()) ? report.endedAt : time.toLocaleString();
  head.appendChild(
    textNode('div', `${CLASS}-title`, trans.__('Crash report: the kernel (pid %1) died at %2', report.pid, when))
  );
  const dismiss = document.createElement('button');
  dismiss.className = `${CLASS}-dismiss jp-mod-styled`;
  dismiss.type = 'button';
  dismiss.textContent = actions.dismiss.label;
  dismiss.disabled = !actions.dismiss.enabled;
  dismiss.addEventListener('click', () => actions.dismiss.run());
  head.appendChild(dismiss);
  node.appendChild(head);

  node.appendChild(textNode('div', `${CLASS}-ending`, endingText(report, trans)));
  node.appendChild(textNode('div', `${CLASS}-cause`, report.cause));
  if (report.lastCell) {
    node.appendChild(renderLastCell(report.lastCell, actions, trans));
  }
  if (report.memory.length) {
    node.appendChild(renderMemory(report, trans));
  }
  if (!report.recorderArmed) {
    node.appendChild(
      textNode(
        'div',
        `${CLASS}-message`,
        trans.__(
          'The crash recorder was not armed in this kernel, so its stacks and last cell were not written. It arms when the probe loads: open any ML Debugger view before running cells.'
        )
      )
    );
  }
  if (report.threads.length) {
    node.appendChild(renderThreads(report.threads, trans));
  } else if (report.recorderArmed) {
    node.appendChild(
      textNode(
        'div',
        `${CLASS}-message`,
        trans.__('No stacks were written: the process ended without a signal a handler can catch (SIGKILL, or an exit).')
      )
    );
  }
  return node;
}

function renderLastCell(
  cell: ILastCell,
  actions: IReportActions,
  trans: TranslationBundle
): HTMLElement {
  const node = document.createElement('div');
  node.className = `${CLASS}-lastCell`;
  node.appendChild(textNode('span', `${CLASS}-label`, trans.__('Last cell: ')));
  const text = lastCellText(cell, trans);
  const cellId = cell.cellId;
  if (cellId !== null && actions.canShowCell(cellId)) {
    const link = document.createElement('button');
    link.type = 'button';
    link.className = `${CLASS}-cellLink`;
    link.textContent = text;
    link.title = trans.__('Scroll the notebook to this cell');
    link.addEventListener('click', () => actions.showCell(cellId));
    node.appendChild(link);
  } else {
    node.appendChild(textNode('span', `${CLASS}-cellText`, text));
  }
  return node;
}

function renderMemory(report: ICrashReport, trans: TranslationBundle): HTMLElement {
  const node = document.createElement('div');
  node.className = `${CLASS}-memory`;
  const values = report.memory.map(m => m.rssBytes);
  const last = report.memory[report.memory.length - 1];
  const seconds = Math.max(0, Math.round(new Date(report.endedAt).getTime() / 1000 - last.t));
  const limit = report.memoryLimitBytes;
  const text =
    limit !== null
      ? trans.__(
          'Resident memory: %1 of a %2 limit, %3 s before the end (last %4 samples)',
          formatBytes(last.rssBytes),
          formatBytes(limit),
          Number.isFinite(seconds) ? seconds : '?',
          values.length
        )
      : trans.__(
          'Resident memory: %1, %2 s before the end (last %3 samples; no memory limit found)',
          formatBytes(last.rssBytes),
          Number.isFinite(seconds) ? seconds : '?',
          values.length
        );
  node.appendChild(createSparkline(values, trans.__('Resident memory over the last %1 samples', values.length)));
  node.appendChild(textNode('span', `${CLASS}-memoryText`, text));
  return node;
}

function renderThreads(threads: readonly ICrashThread[], trans: TranslationBundle): HTMLElement {
  const node = document.createElement('div');
  node.className = `${CLASS}-threads`;
  node.appendChild(textNode('div', `${CLASS}-heading`, trans.__('Stacks at the fatal signal')));
  // The thread that received the signal first: its stack is where it happened.
  const ordered = [...threads].sort((a, b) => Number(b.current) - Number(a.current));
  for (const thread of ordered) {
    const mark = thread.current ? trans.__('received the signal') : null;
    node.appendChild(threadBlock(thread.name, mark, thread.current, thread.frames, trans));
  }
  return node;
}
