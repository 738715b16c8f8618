/**
 * What a section should read at a given moment: the frame selected in the
 * call stack, the running cell, or the globals, on which kernel. Pure: reads
 * the debugger and notebook state it is given, sends nothing.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { NotebookPanel } from '@jupyterlab/notebook';
import type { Kernel } from '@jupyterlab/services';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Scope } from '../kernel/protocol';
import { cellNumber } from '../notebook/cells';

/** stopped: a frame selected in the call stack; live: a running cell; globals otherwise. */
export type TargetMode = 'stopped' | 'live' | 'globals';

/** What the section should show now, and how to ask for it. */
export interface ITarget {
  mode: TargetMode;
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
