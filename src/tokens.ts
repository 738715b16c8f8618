/**
 * Public interfaces and tokens of jupyterlab-ml-debugger.
 */
import { Token } from '@lumino/coreutils';
import type { IRow } from './kernel/protocol';
import type { BridgeRegistry } from './kernel/registry';
import type { MLViews } from './layout/views';
import type { PatternRegistry } from './patterns/registry';

/**
 * The ML debugger's shared services, for plugins that add sections.
 */
export interface IMLDebugger {
  /** The bridge of each kernel: the one wire to the probe. */
  readonly bridges: BridgeRegistry;
  /** The named debugging patterns every section takes its title from. */
  readonly patterns: PatternRegistry;
  /** The rows Variable Values shows, by key (for commands on a right-clicked row). */
  readonly values: { rowByKey(key: string): IRow | undefined };
  /** The views of the down area (every view but Variable Values). */
  readonly views: MLViews;
}

export const IMLDebugger = new Token<IMLDebugger>(
  'jupyterlab-ml-debugger:IMLDebugger',
  'Shared services of the ML debugger: kernel bridges, the pattern registry and the views.'
);
