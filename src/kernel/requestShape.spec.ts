import { requestShapeError, REQUEST_DEPTH_MAX } from './requestShape';

/** An array nested `levels` deep: [[[...]]]. */
function nested(levels: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < levels; i++) {
    value = [value];
  }
  return value;
}

describe('requestShapeError', () => {
  it('lets an ordinary request through', () => {
    const args = {
      scope: { kind: 'frame', frames: [{ path: 'a.py', name: 'f', line: 3 }], index: 0 },
      path: [{ kind: 'name', name: 'x' }, { kind: 'index', index: 2 }]
    };
    expect(requestShapeError(args)).toBeNull();
  });

  it('refuses args nested thousands of levels deep, which the kernel could not even decode', () => {
    expect(requestShapeError({ scope: nested(3000) })).toBe(
      `a request nests at most ${REQUEST_DEPTH_MAX} levels deep`
    );
  });

  it('counts the levels as the probe does: the request, its args, then their values', () => {
    expect(requestShapeError({ x: nested(REQUEST_DEPTH_MAX - 3) })).toBeNull();
    expect(requestShapeError({ x: nested(REQUEST_DEPTH_MAX - 2) })).not.toBeNull();
  });

  it('refuses a string longer than the probe reads and too many values', () => {
    expect(requestShapeError({ expressions: ['x'.repeat(100_001)] })).toBe(
      "a request's strings have at most 100,000 characters"
    );
    expect(requestShapeError({ expressions: new Array(60_000).fill('x') })).toBe(
      'a request holds at most 50,000 values'
    );
  });
});
