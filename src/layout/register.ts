/**
 * The one way a feature adds its view: its patterns marked available, the
 * view registered with the down area, and its commands in the palette.
 */
import type { ICommandPalette } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';
import type { IMLDebugger } from '../tokens';
import type { MLViews } from './views';
import { OPEN_VIEW_COMMAND } from './views';

export interface IViewRegistration {
  ml: IMLDebugger;
  palette: ICommandPalette | null;
  trans: TranslationBundle;
  view: MLViews.IView;
  /** The debugging patterns the view serves (see patterns/registry). */
  patterns: readonly string[];
  /** The feature's commands that belong in the palette. */
  commands?: readonly string[];
}

/** Register a view; returns what brings it forward (opening it if needed). */
export function registerView(options: IViewRegistration): () => Widget | null {
  const { ml, palette, trans, view, patterns } = options;
  patterns.forEach(id => ml.patterns.markAvailable(id));
  ml.views.add(view);
  if (palette) {
    const category = trans.__('ML Debugger');
    palette.addItem({ command: OPEN_VIEW_COMMAND, args: { view: view.key }, category });
    for (const command of options.commands ?? []) {
      palette.addItem({ command, category });
    }
  }
  return () => ml.views.reveal(view.key);
}
