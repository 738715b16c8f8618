import { decodeReply } from './decode';
import { decodeResult } from './decoders';
import { ProbeError } from './protocol';

/** float32 values as the probe sends them: little-endian bytes in base64. */
function float32Base64(values: number[]): string {
  const view = new DataView(new ArrayBuffer(values.length * 4));
  values.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return btoa(String.fromCharCode(...new Uint8Array(view.buffer)));
}

const SLICE = {
  shape: [4, 2, 3],
  dtype: 'float32',
  device: 'cpu',
  axes: [1, 2],
  index: [2, 0, 0],
  rows: 2,
  cols: 3,
  row_step: 1,
  col_step: 1,
  nan: 1,
  inf: 1,
  min: 0,
  max: 4
};

describe('decoding viewer replies', () => {
  it('reads a slice and its float32 values, NaN and Inf kept', () => {
    const reply = decodeReply({
      id: 3,
      v: 1,
      ok: true,
      result: { ...SLICE, values: float32Base64([0, 1, NaN, Infinity, 4, -2.5]) }
    });
    expect(reply.ok).toBe(true);
    const slice = decodeResult('slice', reply.ok ? reply.result : null);
    expect(Array.from(slice.values)).toEqual([0, 1, NaN, Infinity, 4, -2.5]);
    expect(slice).toMatchObject({ rows: 2, cols: 3, rowStep: 1, axes: [1, 2], index: [2, 0, 0] });
  });

  it('refuses a slice whose values are missing, not base64 or the wrong size, with a sentence', () => {
    expect(() => decodeResult('slice', SLICE)).toThrow(ProbeError);
    expect(() => decodeResult('slice', { ...SLICE, values: '%%not base64%%' })).toThrow(/6 values/);
    expect(() => decodeResult('slice', { ...SLICE, values: float32Base64([1, 2]) })).toThrow(/6 values/);
  });

  it('reads a module tree', () => {
    const structure = decodeResult('structure', {
      type: 'Net',
      kind: 'module',
      summary: 'Net · 2 modules',
      object: { class: 'Net', module: '__main__', mro: ['Net', 'Module', 'object'], metaclass: null, flavor: null, fields: [], attributes: [], slots: [{ name: 'x', type: null }], properties: ['device'], methods: 3, shape: null },
      modules: {
        fields: ['path', 'depth', 'cls', 'params', 'buffers', 'own', 'total', 'trainable', 'device', 'training', 'hooks', 'shared', 'io'],
        modules: [
          ['', 0, 'Net', [], [], 0, 55, 55, null, true, null, null, null],
          ['fc', 1, 'Linear', [['weight', [5, 10], 'float32'], ['bias', [5], 'float32']], [], 55, 55, 55, 'cpu', false, { forward: 1 }, null, { in: [[8, 10]], out: [[8, 5]] }]
        ],
        params: 55,
        trainable: 55,
        param_tensors: 2,
        shared: 0,
        recording: true
      },
      truncated: false,
      cut: null,
      elapsed_ms: 2.5
    });
    expect(structure.modules?.modules[1].params[0]).toEqual(['weight', [5, 10], 'float32']);
    expect(structure.modules?.modules[1].io).toEqual({ in: [[8, 10]], out: [[8, 5]] });
    expect(structure.object.slots).toEqual([{ name: 'x', type: null }]);
    expect(structure.modules?.recording).toBe(true);
    expect(structure.modules?.modules[1]).toMatchObject({ path: 'fc', training: false, hooks: { forward: 1 } });
    expect(structure.modules?.modules[0]).toMatchObject({ path: '', depth: 0, total: 55, training: true });
  });
});
