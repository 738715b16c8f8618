/**
 * State of the Crash and Hang view: the crash reports of the current
 * notebook's kernel, whether its crash recorder is armed, the hang flag of a
 * running cell, the kernel not answering, and the stacks read from outside
 * its process. No I/O.
 */
import type { ISignal } from '@lumino/signaling';
import { Signal } from '@lumino/signaling';
import { ShownState } from '../dom/shownState';
import type { ICrashRecorderState } from '../kernel/protocol';
import type { IHang } from '../kernel/liveProtocol';
import type { ICrashReport, IOutsideStacks } from './reports';

/**
 * The model of the Crash and Hang view.
 */
export class CrashModel extends ShownState {
  /** Emitted on any change the view shows. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The kernel shown; null when the current notebook has none. */
  get kernelId(): string | null {
    return this._kernelId;
  }

  /** Whether a cell of the current notebook runs now. */
  get running(): boolean {
    return this._running;
  }

  /** The kernel's undismissed crash reports, newest first. */
  get reports(): readonly ICrashReport[] {
    return this._reports;
  }

  /** The report shown: the newest one; null when there is none. */
  get report(): ICrashReport | null {
    return this._reports[0] ?? null;
  }

  /** Whether the reports are being read and none is shown yet. */
  get reportsLoading(): boolean {
    return this._reportsLoading;
  }

  /** Why reading the reports failed, else ''. */
  get reportsError(): string {
    return this._reportsError;
  }

  /** The id of the report being dismissed; null when none is. */
  get dismissing(): string | null {
    return this._dismissing;
  }

  /** The crash recorder of the kernel as its probe said; null before the probe answered. */
  get recorder(): ICrashRecorderState | null {
    return this._recorder;
  }

  /** The last hang reading of the running cell; null when none. */
  get hang(): IHang | null {
    return this._hang;
  }

  /** When the hang was read, in ms since the epoch; null without a reading. */
  get hangReadAt(): number | null {
    return this._hangReadAt;
  }

  /** Why the hang reading failed, else ''. */
  get hangError(): string {
    return this._hangError;
  }

  /** For how many seconds the kernel has not answered while a cell runs; null while it answers. */
  get stalledSeconds(): number | null {
    return this._stalledSeconds;
  }

  /** The stacks read from outside the kernel's process; null before any. */
  get outside(): IOutsideStacks | null {
    return this._outside;
  }

  /** Whether the stacks are being read from outside. */
  get outsideLoading(): boolean {
    return this._outsideLoading;
  }

  /** Why the stacks could not be read from outside, else ''. */
  get outsideError(): string {
    return this._outsideError;
  }

  /** Another kernel, or none: everything read from the last one is forgotten. */
  setKernel(kernelId: string | null): void {
    if (kernelId === this._kernelId) {
      return;
    }
    this._kernelId = kernelId;
    this._reports = [];
    this._reportsLoading = false;
    this._reportsError = '';
    this._dismissing = null;
    this._recorder = null;
    this._running = false;
    this._clearLive();
    this._changed.emit();
  }

  /** A cell started or the last one ended; the hang flag is only about a running cell. */
  setRunning(running: boolean): void {
    if (running === this._running) {
      return;
    }
    this._running = running;
    if (!running) {
      this._clearLive();
    }
    this._changed.emit();
  }

  /** The kernel restarted or died: its hang and stacks are gone with its process. */
  clearLive(): void {
    this._clearLive();
    this._changed.emit();
  }

  setReportsLoading(): void {
    this._reportsLoading = true;
    this._changed.emit();
  }

  setReports(reports: readonly ICrashReport[]): void {
    this._reports = [...reports];
    this._reportsLoading = false;
    this._reportsError = '';
    if (this._dismissing !== null && !reports.some(r => r.id === this._dismissing)) {
      this._dismissing = null;
    }
    this._changed.emit();
  }

  setReportsError(message: string): void {
    this._reportsError = message;
    this._reportsLoading = false;
    this._changed.emit();
  }

  /** A report is being dismissed (`id`), or no longer (null). */
  setDismissing(id: string | null): void {
    this._dismissing = id;
    this._changed.emit();
  }

  setRecorder(recorder: ICrashRecorderState | null): void {
    if (recorder?.armed === this._recorder?.armed && recorder?.reason === this._recorder?.reason) {
      return;
    }
    this._recorder = recorder;
    this._changed.emit();
  }

  /** A fresh hang reading: the kernel answers. */
  setHang(hang: IHang, at: number): void {
    this._hang = hang;
    this._hangReadAt = at;
    this._hangError = '';
    this._stalledSeconds = null;
    this._changed.emit();
  }

  setHangError(message: string): void {
    this._hangError = message;
    this._stalledSeconds = null;
    this._changed.emit();
  }

  /** The kernel has not answered for `seconds`; the last reading stays. */
  setStalled(seconds: number): void {
    this._stalledSeconds = seconds;
    this._hangError = '';
    this._changed.emit();
  }

  setOutsideLoading(): void {
    this._outsideLoading = true;
    this._outsideError = '';
    this._changed.emit();
  }

  setOutside(stacks: IOutsideStacks): void {
    this._outside = stacks;
    this._outsideLoading = false;
    this._outsideError = '';
    this._changed.emit();
  }

  setOutsideError(message: string): void {
    this._outsideError = message;
    this._outsideLoading = false;
    this._changed.emit();
  }

  private _clearLive(): void {
    this._hang = null;
    this._hangReadAt = null;
    this._hangError = '';
    this._stalledSeconds = null;
    this._outside = null;
    this._outsideLoading = false;
    this._outsideError = '';
  }

  private _changed = new Signal<this, void>(this);
  private _kernelId: string | null = null;
  private _running = false;
  private _reports: ICrashReport[] = [];
  private _reportsLoading = false;
  private _reportsError = '';
  private _dismissing: string | null = null;
  private _recorder: ICrashRecorderState | null = null;
  private _hang: IHang | null = null;
  private _hangReadAt: number | null = null;
  private _hangError = '';
  private _stalledSeconds: number | null = null;
  private _outside: IOutsideStacks | null = null;
  private _outsideLoading = false;
  private _outsideError = '';
}
