/**
 * The application's cell-execution signals, as every section service takes them.
 */
import { NotebookActions } from '@jupyterlab/notebook';
import type { RunningCells } from './live/running';

/** `NotebookActions.executionScheduled` and `executed`: when cells start and end. */
export const NOTEBOOK_EXECUTIONS: RunningCells.IExecutions = {
  scheduled: NotebookActions.executionScheduled,
  executed: NotebookActions.executed
};
