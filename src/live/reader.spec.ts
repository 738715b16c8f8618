/**
 * The reading rule every live section shares, on a fake clock: what reaches
 * the kernel, when, and which replies reach the section.
 */
import { PromiseDelegate } from '@lumino/coreutils';
import { ShownState } from '../dom/shownState';
import { LiveReader } from './reader';

/** A section reading targets named by strings; every request waits for the test. */
class Section {
  readonly shown = new ShownState();
  readonly asked: { target: string; at: number; reply: PromiseDelegate<string> }[] = [];
  readonly seen: string[] = [];
  readonly reader = new LiveReader<string, string, string>({
    interval: 1000,
    shown: this.shown,
    request: target => {
      const reply = new PromiseDelegate<string>();
      this.asked.push({ target, at: Date.now(), reply });
      return reply.promise;
    },
    show: (reply, target) => {
      if (reply === 'garbled') {
        throw new Error('could not decode');
      }
      this.seen.push(`${target}: ${reply}`);
      return reply;
    },
    fail: (reason, target) => {
      const message = reason instanceof Error ? reason.message : String(reason);
      this.seen.push(`${target} failed: ${message}`);
      return message;
    }
  });

  /** Answer the latest request. */
  async answer(reply: string): Promise<void> {
    this.asked[this.asked.length - 1].reply.resolve(reply);
    await jest.advanceTimersByTimeAsync(0);
  }
}

describe('LiveReader', () => {
  let section: Section;

  beforeEach(() => {
    jest.useFakeTimers();
    // Polls fall on the ticks of a clock shared by the sections: start on one.
    jest.setSystemTime(0);
    section = new Section();
  });

  afterEach(() => {
    section.reader.dispose();
    jest.useRealTimers();
  });

  it('polls a running cell soon after it starts, then once per interval, each after the last reply', async () => {
    section.reader.follow('live');
    section.reader.poll();
    await jest.advanceTimersByTimeAsync(300);
    expect(section.asked).toHaveLength(1);
    await section.answer('1');
    await jest.advanceTimersByTimeAsync(700);
    expect(section.asked).toHaveLength(2);
    await section.answer('2');
    expect(section.seen).toEqual(['live: 1', 'live: 2']);
  });

  it('never has two requests in flight to a slow kernel', async () => {
    section.reader.follow('live');
    section.reader.poll();
    await jest.advanceTimersByTimeAsync(20000);
    expect(section.asked).toHaveLength(1);
    // Asked on demand meanwhile: the read in flight is awaited, not doubled.
    const refreshed = section.reader.read();
    expect(section.asked).toHaveLength(1);
    await section.answer('late');
    await expect(refreshed).resolves.toBe('late');
    await jest.advanceTimersByTimeAsync(1500);
    expect(section.asked).toHaveLength(2);
  });

  it('reads once more after the read in flight when asked to, so a change meanwhile is not missed', async () => {
    section.reader.follow('globals');
    void section.reader.read();
    void section.reader.read({ again: true });
    void section.reader.read({ again: true });
    expect(section.asked).toHaveLength(1);
    await section.answer('before the cell ended');
    expect(section.asked).toHaveLength(2);
    await section.answer('after it');
    await jest.advanceTimersByTimeAsync(10000);
    expect(section.asked).toHaveLength(2);
    expect(section.seen).toEqual(['globals: before the cell ended', 'globals: after it']);
  });

  it('drops the reply and the error for a target the section left, and polls only the new one', async () => {
    section.reader.follow('frame 1');
    void section.reader.read();
    void section.reader.read();
    section.reader.follow('frame 2');
    const second = section.reader.read();
    expect(section.asked.map(a => a.target)).toEqual(['frame 1', 'frame 2']);
    section.asked[1].reply.resolve('x = 2');
    section.asked[0].reply.resolve('x = 1');
    await jest.advanceTimersByTimeAsync(0);
    await expect(second).resolves.toBe('x = 2');
    expect(section.seen).toEqual(['frame 2: x = 2']);

    section.reader.follow('live');
    section.reader.poll();
    await jest.advanceTimersByTimeAsync(300);
    section.reader.follow(null);
    section.asked[2].reply.reject(new Error('kernel died'));
    await jest.advanceTimersByTimeAsync(10000);
    expect(section.seen).toEqual(['frame 2: x = 2']);
    expect(section.asked).toHaveLength(3);
    await expect(section.reader.read()).resolves.toBeUndefined();
  });

  it('sends nothing while the section is hidden, and stops a waiting poll when it is hidden', async () => {
    section.reader.follow('live');
    section.reader.poll();
    section.shown.isShown = false;
    await jest.advanceTimersByTimeAsync(10000);
    await expect(section.reader.read()).resolves.toBeUndefined();
    expect(section.asked).toHaveLength(0);

    // Shown again, the section reads; the polls follow its reply.
    section.shown.isShown = true;
    void section.reader.read();
    await section.answer('1');
    await jest.advanceTimersByTimeAsync(1500);
    expect(section.asked).toHaveLength(2);
    // Hidden while a request is out: its reply arms no poll.
    section.shown.isShown = false;
    await section.answer('2');
    await jest.advanceTimersByTimeAsync(10000);
    expect(section.asked).toHaveLength(2);
  });

  it('sends no poll for a cell that ends at once', async () => {
    section.reader.follow('live');
    section.reader.poll();
    await jest.advanceTimersByTimeAsync(50);
    section.reader.pause();
    await jest.advanceTimersByTimeAsync(10000);
    expect(section.asked).toHaveLength(0);
  });

  it('shows why a read failed, a reply it could not show included, and keeps polling', async () => {
    section.reader.follow('live');
    section.reader.poll();
    await jest.advanceTimersByTimeAsync(300);
    const first = section.reader.loading;
    section.asked[0].reply.reject(new Error('timed out'));
    await expect(first).resolves.toBe('timed out');
    await jest.advanceTimersByTimeAsync(1000);
    expect(section.asked).toHaveLength(2);
    await section.answer('garbled');
    expect(section.seen).toEqual(['live failed: timed out', 'live failed: could not decode']);
  });

  it('moves a waiting poll to a new interval at once, and leaves it where it was for the same one', async () => {
    section.reader.follow('live');
    section.reader.poll();
    for (const step of [300, 700, 1000, 1000]) {
      await jest.advanceTimersByTimeAsync(step);
      await section.answer('value');
    }
    await jest.advanceTimersByTimeAsync(700);
    // A setting saved with the interval unchanged does not push the poll back.
    section.reader.interval = 1000;
    await jest.advanceTimersByTimeAsync(300);
    await section.answer('value');
    section.reader.interval = 5000;
    await jest.advanceTimersByTimeAsync(10000);
    expect(section.asked.map(a => a.at)).toEqual([300, 1000, 2000, 3000, 4000, 10000]);
  });
});
