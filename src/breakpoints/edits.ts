/**
 * Where a line goes when its cell's text is edited. Pure.
 *
 * A breakpoint sits at the start of its line, as JupyterLab's gutter marker
 * does: text inserted above it (or at the very start of its line) pushes it
 * down, text removed above pulls it up, and it goes when the edit deletes the
 * text on both sides of its line start. Mirroring CodeMirror's own mapping of
 * the gutter markers keeps our lines and JupyterLab's equal when it re-sends.
 */

/** One step of a Yjs text delta, as a cell's `sourceChange` carries it. */
export interface ITextDeltaStep {
  insert?: string;
  delete?: number;
  retain?: number;
}

/**
 * The new 1-based line of each of `lines` in `oldText` after `delta`; null
 * for a line the edit deleted.
 */
export function mapLines(
  oldText: string,
  delta: readonly ITextDeltaStep[],
  lines: readonly number[]
): (number | null)[] {
  const starts = lineStarts(oldText);
  const newText = applyDelta(oldText, delta);
  const newStarts = lineStarts(newText);
  return lines.map(line => {
    if (line < 1 || line > starts.length) {
      return null;
    }
    const pos = mapPosition(starts[line - 1], delta);
    if (pos === null) {
      return null;
    }
    return lineAt(newStarts, pos);
  });
}

/** The text after a delta. */
export function applyDelta(
  text: string,
  delta: readonly ITextDeltaStep[]
): string {
  let out = '';
  let at = 0;
  for (const step of delta) {
    if (step.retain !== undefined) {
      out += text.slice(at, at + step.retain);
      at += step.retain;
    } else if (step.delete !== undefined) {
      at += step.delete;
    } else if (step.insert !== undefined) {
      out += step.insert;
    }
  }
  return out + text.slice(at);
}

/**
 * Where an old offset lands: after text inserted at it, at the start of a
 * deletion that ends at it, and nowhere when a deletion spans it.
 */
function mapPosition(
  pos: number,
  delta: readonly ITextDeltaStep[]
): number | null {
  let oldAt = 0;
  let newAt = 0;
  for (const step of delta) {
    if (step.retain !== undefined) {
      if (oldAt + step.retain > pos) {
        return newAt + (pos - oldAt);
      }
      oldAt += step.retain;
      newAt += step.retain;
    } else if (step.delete !== undefined) {
      const end = oldAt + step.delete;
      if (oldAt < pos && pos < end) {
        return null;
      }
      if (pos < end) {
        // The deletion starts at the line start: the line's text moves up to
        // take its place, and the marker stays on it.
        return newAt;
      }
      oldAt = end;
    } else if (step.insert !== undefined) {
      if (oldAt <= pos) {
        newAt += step.insert.length;
      }
    }
  }
  return newAt + (pos - oldAt);
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      starts.push(i + 1);
    }
  }
  return starts;
}

function lineAt(starts: number[], pos: number): number {
  let line = 1;
  while (line < starts.length && starts[line] <= pos) {
    line++;
  }
  return line;
}
