/**
 * The hello's crash recorder state: armed, or why not; absent from an older probe.
 */
import { decodeHello } from './decode';
import { ProbeError } from './protocol';

const base = { protocol: 1, version: '0.1.0', thread: 'subshell', pid: 7, features: [] };

describe('decodeHello and the crash recorder', () => {
  it('reads an armed recorder and one that says why it is not armed', () => {
    expect(decodeHello({ ...base, crash_recorder: { armed: true, reason: null } }).crashRecorder).toEqual({
      armed: true,
      reason: null
    });
    const reason = 'the kernel has no connection file, so the server cannot find its crash files';
    expect(decodeHello({ ...base, crash_recorder: { armed: false, reason } }).crashRecorder).toEqual({
      armed: false,
      reason
    });
  });

  it('reads a probe that does not say as null, and refuses a malformed state', () => {
    expect(decodeHello(base).crashRecorder).toBeNull();
    expect(() => decodeHello({ ...base, crash_recorder: { armed: 'yes' } })).toThrow(ProbeError);
  });
});
