/**
 * The decoder on replies captured from a real kernel (scripts/capture-replies.py).
 */
import replies from './fixtures/replies.json';
import { decodeReply } from './decode';
import { decodeResult } from './decoders';
import type { IHello, IValues, Operation } from './protocol';
import { isLive, ProbeError } from './protocol';

function decoded<K extends Operation>(op: K, name: keyof typeof replies) {
  const reply = decodeReply(replies[name]);
  if (!reply.ok) {
    throw reply.error;
  }
  return decodeResult(op, reply.result);
}

describe('decodeReply and decodeResult on captured replies', () => {
  it('reads who answered', () => {
    const hello = decoded('hello', 'hello') as IHello;
    expect(hello.thread).toBe('subshell');
    expect(hello.loaded).toBe('installed');
  });

  it('turns a globals reply into rows a user reads', () => {
    const values = decoded('values', 'values_globals') as IValues;
    expect(isLive(values)).toBe(false);
    const byName = new Map(values.rows.map(r => [r.name, r]));
    const weights = byName.get('weights')!;
    expect(weights.kind).toBe('tensor');
    expect(weights.nonfinite).toBe(true);
    expect(weights.stats).toMatchObject({
      shape: [2, 2],
      dtype: 'float32',
      nan: 1,
      inf: 1,
      min: 1,
      max: 4,
      requiresGrad: true
    });
    expect(weights.stats!.exact).toEqual({
      min: true,
      max: true,
      mean: true,
      std: true,
      nan: true,
      inf: true
    });
    expect(byName.get('markup')!.summary).toBe("'<img src=x onerror=alert(1)>'");
    expect(byName.get('table')!.kind).toBe('dataframe');
    expect(byName.get('batch')!.summary).toBe('list[4] of Tensor[3, 8, 8] float32');
    expect(byName.get('batch')!.path).toEqual([{ kind: 'name', name: 'batch' }]);
  });

  it('reads a stopped frame and a live read', () => {
    const frame = decoded('values', 'values_frame') as IValues;
    expect(frame.scope.frame?.name).toBe('step');
    expect(frame.rows.map(r => r.name).sort()).toEqual(['k', 'local']);

    const live = decoded('values', 'values_live');
    expect(isLive(live)).toBe(true);
    if (isLive(live)) {
      expect(live.running).toBe(true);
      const spin = live.frames.find(f => f.name === 'spin')!;
      expect(spin.rows.map(r => r.name)).toContain('tick');
    }
  });

  it('reads children paths and a repr that raised', () => {
    const children = decoded('children', 'children_list');
    expect(children.rows).toHaveLength(4);
    expect(children.rows[2].path).toEqual([
      { kind: 'name', name: 'batch' },
      { kind: 'index', index: 2 }
    ]);
    const repr = decoded('repr', 'repr_raises');
    expect(repr.text).toContain('RuntimeError: no repr for you');
  });

  it.each([
    ['error_bad_request', 'bad-request'],
    ['error_no_value', 'no-value'],
    ['error_no_frame', 'no-frame']
  ] as const)('turns %s into a ProbeError of kind %s', (name, kind) => {
    const reply = decodeReply(replies[name]);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error).toBeInstanceOf(ProbeError);
      expect(reply.error.kind).toBe(kind);
      expect(reply.error.message.length).toBeGreaterThan(10);
    }
  });
});

describe('trace and watch replies captured from a real kernel', () => {
  it('reads the rows a record action kept, fetched with since, and the hit counts', () => {
    const trace = decoded('trace', 'trace_since');
    expect(trace.rows.map(r => r.hit)).toEqual([1, 2, 3]);
    expect(trace.rows.map(r => r.log)).toEqual([
      'step 1: 0.5',
      'step 3: 0.125',
      'step 5: 0.03125'
    ]);
    expect(trace.rows[1].values.loss).toEqual({ number: 0.125, summary: '0.125' });
    expect(trace.rows[0].values["'a,b'"].number).toBeNull();
    expect(trace.next).toBe(trace.rows[2].seq + 1);
    expect(trace.dropped).toBe(0);
    expect(trace.counts).toEqual({ 'capture-record': 3 });
  });

  it('reads watch rows: a NaN sum has no number, a missing name is an error', () => {
    const watch = decoded('watch', 'watch_globals');
    expect(watch.rows.map(r => r.name)).toEqual(['weights.sum()', 'grid.mean()', 'nope']);
    expect(watch.rows[0].number).toBeNull();
    expect(watch.rows[0].nonfinite).toBe(true);
    expect(watch.rows[1].number).toBe(5.5);
    expect(watch.rows[2].kind).toBe('error');
    expect(watch.rows[2].summary).toContain('NameError');
  });
});

describe('decoder on bad input', () => {
  it('says to restart the kernel when the probe speaks another protocol', () => {
    const reply = decodeReply({ ...replies.hello, v: 99 });
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.kind).toBe('protocol');
      expect(reply.error.message).toContain('Restart the kernel');
    }
  });

  it('refuses malformed replies with a protocol error', () => {
    expect(() => decodeReply('nonsense')).toThrow(ProbeError);
    expect(() =>
      decodeResult('values', { rows: [{ name: 1 }], scope: { kind: 'globals' } })
    ).toThrow('Malformed row.name');
  });

  it('shows a row of an unknown kind as an object instead of dropping the list', () => {
    const row = { ...replies.values_globals.result.rows[0], kind: 'hologram' };
    const values = decodeResult('values', {
      scope: { kind: 'globals' },
      rows: [row],
      truncated: false
    }) as IValues;
    expect(values.rows[0].kind).toBe('object');
  });
});

describe('Secrets on the wire', () => {
  const masked = {
    name: 'api_token',
    type: 'str',
    kind: 'text',
    summary: '•••••• (secret: masked)',
    size: 20,
    nonfinite: false,
    expandable: false,
    path: [{ kind: 'name', name: 'api_token' }],
    stats: null,
    error: null,
    masked: true
  };

  it('reads a row the kernel masked, and any row without the flag as unmasked', () => {
    const values = decodeResult('values', {
      scope: { kind: 'globals', thread: null, frame: null },
      rows: [masked, { ...masked, name: 'lr', masked: undefined }],
      truncated: false,
      elapsed_ms: 1
    }) as IValues;
    expect(values.rows.map(r => r.masked)).toEqual([true, false]);
  });

  it('reads a revealed value and the masking in force', () => {
    const revealed = decodeResult('reveal', { row: { ...masked, summary: "'tok'", masked: false, number: null } });
    expect(revealed).toMatchObject({ row: { summary: "'tok'", masked: false }, number: null });
    expect(decodeResult('secrets', { on: false, names: ['*pin*'] })).toEqual({ on: false, names: ['*pin*'] });
    expect(() => decodeResult('secrets', { on: true })).toThrow(ProbeError);
  });
});
