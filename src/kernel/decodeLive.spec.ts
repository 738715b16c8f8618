/**
 * The live-inspection decoders on replies captured from a real kernel
 * (scripts/capture-live-replies.py).
 */
import replies from './fixtures/live_replies.json';
import hangReplies from './fixtures/hang_replies.json';
import { decodeReply } from './decode';
import { decodeResult } from './decoders';
import type { ICounters, IHang, IModules, IPostmortem, IThreads } from './liveProtocol';
import type { Operation } from './protocol';
import { ProbeError } from './protocol';

function decoded<K extends Operation>(op: K, name: keyof typeof replies) {
  const reply = decodeReply(replies[name]);
  if (!reply.ok) {
    throw reply.error;
  }
  return decodeResult(op, reply.result);
}

describe('live decoders on captured replies', () => {
  it('reads two threads deadlocked over two locks as one cycle', () => {
    const threads = decoded('threads', 'threads_deadlock') as IThreads;
    expect(threads.deadlocks).toHaveLength(1);
    const [deadlock] = threads.deadlocks;
    expect(deadlock.main).toBe(false);
    expect(deadlock.cycle.map(link => [link.name, link.waitsFor])).toEqual([
      ['update_stats', 'log_lock'],
      ['write_log', 'stats_lock']
    ]);
    expect(deadlock.text).toMatch(/^Deadlock: update_stats waits for log_lock held by write_log/);
    const byName = new Map(threads.threads.map(t => [t.name, t]));
    expect(byName.get('MainThread')?.kind).toBe('main');
    const worker = byName.get('update_stats')!;
    expect(worker.kind).toBe('user');
    expect(worker).toMatchObject({ state: 'blocked', blockedOn: 'waits for lock log_lock', blockingModule: 'threading' });
    expect(worker.wait).toMatchObject({ kind: 'lock', label: 'log_lock', ownerKnown: true });
    expect(worker.frames[0]).toMatchObject({ name: 'update_stats', user: true });
    expect(worker.frames[0].code).toBe('with log_lock:');
    expect(threads.threads.some(t => t.kind === 'probe')).toBe(true);
    // The idle kernel's main thread waits in its event loop's selector.
    expect(byName.get('MainThread')).toMatchObject({ state: 'blocked', blockingModule: 'selectors' });
  });

  it('reads one counters sample with its history', () => {
    const counters = decoded('counters', 'counters') as ICounters;
    const rss = counters.counters.find(c => c.id === 'rss')!;
    expect(rss.unit).toBe('bytes');
    expect(rss.value).toBeGreaterThan(1024 * 1024);
    expect(rss.history).toHaveLength(counters.samples);
    // tracemalloc is off in a fresh kernel: no value, and a note that says how.
    const heap = counters.counters.find(c => c.id === 'py_heap')!;
    expect(heap.value).toBeNull();
    expect(heap.note).toMatch(/tracemalloc\.start\(\)/);
    expect(counters.counters.some(c => c.id.startsWith('cuda'))).toBe(false);
  });

  it('reads a failed cell as a chain: the error, then its cause, with frames and locals', () => {
    const postmortem = decoded('postmortem', 'postmortem_chain') as IPostmortem;
    const chain = postmortem.error!.chain;
    expect(chain.map(link => [link.type, link.relation])).toEqual([
      ['ValueError', 'raised'],
      ['KeyError', 'cause']
    ]);
    const inner = chain[0].frames[chain[0].frames.length - 1];
    expect(inner.name).toBe('collate');
    expect(inner.rows.find(r => r.name === 'batch')?.summary).toContain('[4, 3]');
  });

  it('reads loaded modules and an unreadable requirements file', () => {
    const modules = decoded('modules', 'modules') as IModules;
    // The fixture keeps the first modules only; the total still counts every loaded one.
    expect(modules.total).toBe(replies.modules.result.total);
    expect(modules.total).toBeGreaterThan(modules.modules.length);
    expect(modules.modules.find(m => m.name === '_abc')?.origin).toBe('builtin');
    expect(modules.modules.find(m => m.name === 'IPython')).toMatchObject({ origin: 'site', distribution: 'ipython' });
    expect(modules.requirements?.error).toMatch(/could not be read/);
  });

  it('refuses a thread of an unknown kind', () => {
    const reply = decodeReply(replies.threads_deadlock);
    if (!reply.ok) {
      throw reply.error;
    }
    const result = JSON.parse(JSON.stringify(reply.result));
    result.threads[0].kind = 'martian';
    expect(() => decodeResult('threads', result)).toThrow(ProbeError);
  });

  it('shows a state it does not know, from another version of the probe, as unknown', () => {
    const reply = decodeReply(replies.threads_deadlock);
    if (!reply.ok) {
      throw reply.error;
    }
    const result = JSON.parse(JSON.stringify(reply.result));
    result.threads[0].state = 'running';
    delete result.threads[0].blocked_on;
    const [main] = (decodeResult('threads', result) as IThreads).threads;
    expect(main).toMatchObject({ state: 'unknown', blockedOn: null, blockingModule: 'selectors' });
  });
});

function decodedHang(name: keyof typeof hangReplies): IHang {
  const reply = decodeReply(hangReplies[name]);
  if (!reply.ok) {
    throw reply.error;
  }
  return decodeResult('hang', reply.result);
}

describe('the hang decoder on captured replies', () => {
  it('reads a cell waiting on a held lock as hung, with what it waits on', () => {
    const hang = decodedHang('hang_lock');
    expect(hang).toMatchObject({ hung: true, kind: 'waiting', thresholdS: 1, waitsOn: 'waits for lock ready' });
    expect(hang.sinceS).toBeGreaterThanOrEqual(hang.thresholdS);
    expect(hang.stack.map(f => [f.name, f.user, f.code])).toEqual([['<module>', true, 'with ready:']]);
    expect(hang.workers).toEqual([]);
  });

  it('reads a DataLoader loop whose worker exited: the worker dead with its code, the loop waiting', () => {
    const hang = decodedHang('hang_dead_worker');
    expect(hang.hung).toBe(true);
    expect(hang.workers).toHaveLength(1);
    expect(hang.workers[0]).toMatchObject({ alive: false, exitCode: 0, signalName: null });
    expect(hang.waitsOn).toBe("waits for a batch from the DataLoader's workers");
    const cell = hang.stack[hang.stack.length - 1];
    expect(cell).toMatchObject({ user: true, code: 'for batch in loader:' });
    expect(hang.stack.some(f => f.name === '_next_data' && !f.user)).toBe(true);
  });

  it('reads an idle kernel as not hung, with no time standing', () => {
    expect(decodedHang('hang_idle')).toMatchObject({ hung: false, sinceS: null, kind: null, stack: [], waitsOn: null });
  });

  it('shows a kind it does not know, from another version of the probe, as none', () => {
    const result = JSON.parse(JSON.stringify(hangReplies.hang_lock.result));
    result.kind = 'sleeping';
    expect(decodeResult('hang', result).kind).toBeNull();
  });

  it('refuses a worker without a pid', () => {
    const result = JSON.parse(JSON.stringify(hangReplies.hang_dead_worker.result));
    delete result.workers[0].pid;
    expect(() => decodeResult('hang', result)).toThrow(ProbeError);
  });
});
