/**
 * A VariableValuesService wired to the fakes, as both service specs use it.
 */
import type { IDebugger } from '@jupyterlab/debugger';
import type { INotebookTracker } from '@jupyterlab/notebook';
import { VariableValuesModel } from '../model';
import { VariableValuesService } from '../service';
import type { FakeBridge, FakeNotebook } from '../../live/testing/fakes';
import {
  FakeBridges,
  FakeDebugger,
  FakeExecutions,
  FakeTracker,
  fakeNotebook
} from '../../live/testing/fakes';

/** One service over one notebook `nb` on kernel k1, with fake timers on. */
export class ServiceHarness {
  readonly debug = new FakeDebugger();
  readonly tracker = new FakeTracker();
  readonly bridges = new FakeBridges();
  readonly executions = new FakeExecutions();
  readonly model = new VariableValuesModel();
  readonly nb: FakeNotebook = fakeNotebook('k1', [
    'import torch',
    'def train_step(x):\n  return x'
  ]);
  readonly bridge: FakeBridge;
  service: VariableValuesService | null = null;

  constructor() {
    jest.useFakeTimers();
    // Live polls fall on the ticks of a clock shared by the sections: start on one.
    jest.setSystemTime(0);
    this.tracker.currentWidget = this.nb;
    this.bridge = this.bridges.bridgeFor(this.nb.sessionContext.session.kernel);
  }

  /** Create the service; requests start as it would in the application. */
  start(settings: Partial<VariableValuesService.ISettings> = {}): VariableValuesService {
    this.service = new VariableValuesService({
      debugger: this.debug as unknown as IDebugger,
      notebookTracker: this.tracker as unknown as INotebookTracker,
      bridges: this.bridges,
      model: this.model,
      executions: this.executions,
      settings
    });
    return this.service;
  }

  /** The names of the rows the section shows. */
  names(): string[] {
    return this.model.visibleRows.map(r => r.name);
  }

  dispose(): void {
    this.service?.dispose();
    this.model.dispose();
    jest.useRealTimers();
  }
}
