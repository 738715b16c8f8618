/**
 * The value under the last context menu: the subject of "Show Type
 * Structure" and "Open in Tensor Viewer" when run from a menu.
 */
import type { JupyterFrontEnd } from '@jupyterlab/application';
import type { ISubject, ISubjectSources } from './subjects';
import { subjectAt, VALUE_ROW_SELECTOR, VARIABLE_SELECTOR, WATCH_ROW_SELECTOR } from './subjects';

/** The selectors whose context menus offer the value commands. */
export const VALUE_SELECTORS = [VALUE_ROW_SELECTOR, WATCH_ROW_SELECTOR, VARIABLE_SELECTOR];

/** A function giving the subject of the element the context menu was opened on. */
export function contextSubject(app: JupyterFrontEnd, sources: ISubjectSources): () => ISubject | null {
  return () => {
    const node = app.contextMenuHitTest(n => VALUE_SELECTORS.some(s => n.matches(s)));
    return node ? subjectAt(node, sources) : null;
  };
}
