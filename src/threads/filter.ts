/**
 * Which threads the Threads view lists: all of them, the active ones or the
 * blocked ones, and of those only the ones blocked in one module. Pure.
 */
import type { IThread, ThreadState } from '../kernel/liveProtocol';

/** The states the view can be narrowed to; `all` lists every thread. */
export type StateChoice = 'all' | Exclude<ThreadState, 'unknown'>;

export const STATE_CHOICES: readonly StateChoice[] = ['all', 'active', 'blocked'];

/** The view's filter: a state, and a Blocking Module (null for any). */
export interface IThreadFilter {
  state: StateChoice;
  module: string | null;
}

/** The filter that lists every thread. */
export const NO_FILTER: IThreadFilter = { state: 'all', module: null };

/** Whether the filter hides anything at all. */
export function isFiltering(filter: IThreadFilter): boolean {
  return filter.state !== 'all' || filter.module !== null;
}

/** Whether a thread passes the filter; a module filter keeps only threads blocked in that module. */
export function matchesFilter(thread: IThread, filter: IThreadFilter): boolean {
  if (filter.state !== 'all' && thread.state !== filter.state) {
    return false;
  }
  return filter.module === null || thread.blockingModule === filter.module;
}

/** The blocking modules of the threads, each once, sorted: the module filter's choices. */
export function blockingModules(threads: readonly IThread[]): string[] {
  const found = new Set<string>();
  for (const thread of threads) {
    if (thread.blockingModule !== null) {
      found.add(thread.blockingModule);
    }
  }
  return [...found].sort();
}
