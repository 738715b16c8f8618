import { Outbox } from './outbox';
import type { IRequest } from './protocol';

const request = (id: number, op: IRequest['op'] = 'hello'): IRequest =>
  ({ id, op, args: {} }) as IRequest;

describe('Outbox', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends the requests of one moment as one message, and a lone request alone', () => {
    const sent: number[][] = [];
    const outbox = new Outbox(requests => sent.push(requests.map(r => r.id)));
    outbox.post(request(1, 'threads'));
    outbox.post(request(2, 'counters'));
    outbox.post(request(3, 'values'));
    expect(sent).toEqual([]);
    jest.advanceTimersByTime(Outbox.WINDOW_MS);
    outbox.post(request(4));
    jest.advanceTimersByTime(Outbox.WINDOW_MS);
    expect(sent).toEqual([[1, 2, 3], [4]]);
  });

  it('splits a crowd into messages the probe accepts, and drops what a restart cleared', () => {
    const sent: number[][] = [];
    const outbox = new Outbox(requests => sent.push(requests.map(r => r.id)));
    for (let id = 1; id <= Outbox.BATCH_MAX + 1; id++) {
      outbox.post(request(id));
    }
    outbox.flush();
    expect(sent.map(ids => ids.length)).toEqual([Outbox.BATCH_MAX, 1]);
    outbox.post(request(99));
    outbox.clear();
    jest.advanceTimersByTime(Outbox.WINDOW_MS);
    expect(sent.flat()).not.toContain(99);
  });
});
