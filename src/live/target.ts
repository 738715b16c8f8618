/**
 * What the Variable Values section should show at a given moment, and how a
 * reply becomes rows for the model. Pure: reads the debugger and notebook
 * state it is given, sends nothing.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ILive, IValues, Scope } from '../kernel/protocol';
import { isLive } from '../kernel/protocol';
import { cellNumber } from '../notebook/cells';
import { splitByScope } from './groups';
import type { VariableValuesModel } from './model';

/** What the section should show now, and how to ask for it. */
export interface ITarget {
  mode: VariableValuesModel.Mode;
  kernel: Kernel.IKernelConnection;
  scope: Scope;
  /** Same identity: rows stay on screen while fresh ones load. */
  identity: string;
  /** Any change of key starts a new generation of requests. */
  key: string;
  label: string;
  historyScope: string;
}

/**
 * The target: the frame selected in the call stack while the debugger is
 * stopped; otherwise the current notebook's running cell, or its globals.
 * Null when there is no kernel to ask.
 */
export function computeTarget(
  debug: IDebugger,
  notebook: NotebookPanel | null,
  running: boolean,
  trans: TranslationBundle
): ITarget | null {
  const notebookKernel = notebook?.sessionContext.session?.kernel ?? null;
  const callstack = debug.model.callstack;
  const frame = debug.isStarted ? callstack.frame : null;
  // The stopped kernel is the debugger's, which may be a console's.
  const stoppedKernel = debug.session?.connection?.kernel ?? notebookKernel;
  if (frame && stoppedKernel) {
    const frames = callstack.frames.map(f => ({
      path: f.source?.path ?? '',
      name: f.name,
      line: f.line
    }));
    const index = Math.max(
      0,
      callstack.frames.findIndex(f => f.id === frame.id)
    );
    const ref = frames[index] ?? {
      path: frame.source?.path ?? '',
      name: frame.name,
      line: frame.line
    };
    const identity = `stopped:${stoppedKernel.id}:${index}:${ref.name}:${ref.path}`;
    const cell = cellNumber(debug, notebook, ref.path);
    return {
      mode: 'stopped',
      kernel: stoppedKernel,
      scope: { kind: 'frame', frames, index },
      identity,
      key: `${identity}:${ref.line}:${frame.id}`,
      label:
        cell === null
          ? trans.__('frame %1 (line %2)', ref.name, ref.line)
          : trans.__('frame %1 (cell %2, line %3)', ref.name, cell, ref.line),
      historyScope: ref.name
    };
  }
  if (!notebookKernel) {
    return null;
  }
  // Live and globals read the same namespace: switching between them keeps
  // the rows on screen until the new ones arrive.
  const identity = `namespace:${notebookKernel.id}`;
  return running
    ? {
        mode: 'live',
        kernel: notebookKernel,
        scope: { kind: 'live' },
        identity,
        key: `live:${notebookKernel.id}`,
        label: trans.__('live'),
        historyScope: 'globals'
      }
    : {
        mode: 'globals',
        kernel: notebookKernel,
        scope: { kind: 'globals' },
        identity,
        key: `globals:${notebookKernel.id}`,
        label: trans.__('globals'),
        historyScope: 'globals'
      };
}

/**
 * Rows for the model from a values reply; live frames each get a group.
 * `grouped`: the reply was asked grouped by scope, and each group is split
 * into Local, Enclosing and Global.
 */
export function toValues(
  target: ITarget,
  result: IValues | ILive,
  trans: TranslationBundle,
  grouped = false
): VariableValuesModel.IValues {
  if (!isLive(result)) {
    const group = {
      id: target.mode,
      label: null,
      historyScope: target.historyScope,
      rows: result.rows
    };
    return {
      mode: target.mode,
      scopeLabel: target.label,
      truncated: result.truncated,
      groups: grouped
        ? splitByScope(group, target.mode === 'globals' ? 'global' : 'local', trans)
        : [group]
    };
  }
  // The build targets ES2018, which has no flatMap.
  const frames = ([] as ReturnType<typeof splitByScope>).concat(
    ...result.frames.map((frame, index) => {
      const group = {
        id: `frame:${index}`,
        label: trans.__('%1 line %2 (%3)', frame.name, frame.line, frame.thread),
        historyScope: frame.name,
        rows: frame.rows
      };
      return grouped ? splitByScope(group, 'local', trans, group.label) : [group];
    })
  );
  const globals = {
    id: 'globals',
    label: trans.__('Globals'),
    historyScope: 'globals',
    rows: result.rows
  };
  return {
    mode: 'live',
    scopeLabel: trans._n(
      'live: %1 running frame',
      'live: %1 running frames',
      result.frames.length
    ),
    truncated: result.truncated,
    groups: [
      ...frames,
      ...(grouped ? splitByScope(globals, 'global', trans) : [globals])
    ]
  };
}
