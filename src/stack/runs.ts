/**
 * How a stack is listed, in the Threads and Exceptions sections alike: each
 * frame of the user's own code on its own, each unbroken run of library
 * frames folded into one line. Pure.
 */
import type { IThreadFrame } from '../kernel/liveProtocol';

/** A run of frames as a section lists it: one user frame, or library frames folded. */
export type FrameRun =
  | { kind: 'user'; index: number; frame: IThreadFrame }
  | { kind: 'library'; start: number; frames: IThreadFrame[] };

/** The runs of `frames`, in the order given. */
export function foldFrames(frames: readonly IThreadFrame[]): FrameRun[] {
  const runs: FrameRun[] = [];
  frames.forEach((frame, index) => {
    const last = runs[runs.length - 1];
    if (frame.user) {
      runs.push({ kind: 'user', index, frame });
    } else if (last?.kind === 'library') {
      last.frames.push(frame);
    } else {
      runs.push({ kind: 'library', start: index, frames: [frame] });
    }
  });
  return runs;
}
