/**
 * How an exception chain is laid out: where a frame's file is named and
 * which frame opens by default (src/stack/runs.ts folds library frames). Pure.
 */
import type { IChainLink } from '../kernel/liveProtocol';

/** The key under which a frame's values are opened. */
export function frameKey(link: number, frame: number): string {
  return `frame:${link}:${frame}`;
}

/** The key under which a run of library frames is unfolded. */
export function libraryKey(link: number, start: number): string {
  return `library:${link}:${start}`;
}

/** True for code compiled from a notebook cell (ipykernel's temp file or IPython's input). */
export function isCellPath(path: string): boolean {
  if (path.startsWith('<ipython-input-')) {
    return true;
  }
  const parts = path.split(/[\\/]/);
  return parts.length > 1 && parts[parts.length - 2].startsWith('ipykernel_');
}

/** The file part of a path, with either separator. */
export function basename(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/**
 * The frame opened when an error first shows: the innermost user frame of
 * the raised exception, or of the first link that has one.
 */
export function defaultOpenKey(chain: readonly IChainLink[]): string | null {
  for (let link = 0; link < chain.length; link++) {
    const frames = chain[link].frames;
    for (let index = frames.length - 1; index >= 0; index--) {
      if (frames[index].user) {
        return frameKey(link, index);
      }
    }
  }
  return null;
}
