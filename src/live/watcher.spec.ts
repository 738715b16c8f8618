import { nullTranslator } from '@jupyterlab/translation';
import { FakeDebugger, FakeExecutions, FakeTracker, fakeNotebook } from './testing/fakes';
import { TargetWatcher } from './watcher';

const trans = nullTranslator.load('jupyterlab_ml_debugger');

function setup() {
  const tracker = new FakeTracker();
  const executions = new FakeExecutions();
  const debug = new FakeDebugger();
  const nb = fakeNotebook('k1');
  tracker.currentWidget = nb;
  const watcher = new TargetWatcher({
    debugger: debug as never,
    notebookTracker: tracker as never,
    executions,
    trans
  });
  const changes: TargetWatcher.IChange[] = [];
  watcher.changed.connect((_, change) => void changes.push(change));
  return { tracker, executions, debug, nb, watcher, changes };
}

describe('TargetWatcher', () => {
  it('says the kernel came back only at the first idle after a restart, not at the idles of its own requests', () => {
    const s = setup();
    s.nb.sessionContext.statusChanged.emit('idle');
    expect(s.changes).toEqual([]);
    s.nb.sessionContext.statusChanged.emit('autorestarting');
    s.nb.sessionContext.statusChanged.emit('restarting');
    s.nb.sessionContext.statusChanged.emit('idle');
    s.nb.sessionContext.statusChanged.emit('busy');
    s.nb.sessionContext.statusChanged.emit('idle');
    expect(s.changes).toEqual([
      { force: false, restarted: true },
      { force: false, restarted: true },
      { force: true, revived: true }
    ]);
    s.watcher.dispose();
  });

  it('tells a finished cell (forced, not revived) from a kernel back from a restart', () => {
    const s = setup();
    s.executions.start(s.nb);
    expect(s.watcher.isRunning()).toBe(true);
    expect(s.watcher.current()?.mode).toBe('live');
    s.executions.finish(s.nb);
    expect(s.watcher.isRunning()).toBe(false);
    expect(s.changes).toEqual([{ force: false }, { force: true }]);
    s.watcher.dispose();
  });

  it('forgets the running cell when the kernel dies, and says a cell runs while the debugger is stopped in it', () => {
    const s = setup();
    s.executions.start(s.nb);
    s.debug.model.callstack.stopAt([{ id: 1, name: 'f', line: 2, column: 1, source: { path: 'x.py' } } as never]);
    expect(s.watcher.current()?.mode).toBe('stopped');
    expect(s.watcher.isRunning()).toBe(true);
    s.nb.sessionContext.statusChanged.emit('dead');
    expect(s.watcher.isRunning()).toBe(false);
    s.watcher.dispose();
  });

  it('forgets a restart in progress when another notebook becomes current', () => {
    const s = setup();
    s.nb.sessionContext.statusChanged.emit('restarting');
    const other = fakeNotebook('k2');
    s.tracker.switchTo(other);
    s.tracker.switchTo(s.nb);
    s.nb.sessionContext.statusChanged.emit('idle');
    expect(s.changes.filter(c => c.revived)).toEqual([]);
    s.watcher.dispose();
  });
});
