import type { ISlice } from '../kernel/structureProtocol';
import { ViewerModel } from './model';
import { TensorViewer } from './widget';

const SUBJECT = { label: 'x', target: { path: [{ kind: 'name' as const, name: 'x' }] } };

function slice(): ISlice {
  return {
    shape: [2, 2],
    dtype: 'float32',
    device: 'cpu',
    axes: [0, 1],
    index: [0, 0],
    rows: 2,
    cols: 2,
    rowStep: 1,
    colStep: 1,
    nan: 1,
    inf: 0,
    min: 1,
    max: 3,
    values: Float32Array.from([1, NaN, 2, 3])
  };
}

describe('TensorViewer', () => {
  // jsdom draws nothing; the pixels are tested in slicing.spec.ts.
  beforeAll(() => {
    jest.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
  });

  it('says how many NaN the slice holds and which axes it shows', () => {
    const model = new ViewerModel(SUBJECT);
    const viewer = new TensorViewer({ model });
    model.setSlice(slice(), null, 'globals');
    expect(viewer.node.querySelector('.jp-MLDebuggerViewer-legend')?.textContent).toContain('1 NaN');
    expect(viewer.node.querySelector('.jp-MLDebuggerViewer-legend-bad')).not.toBeNull();
    expect(viewer.node.querySelectorAll('.jp-MLDebuggerViewer-axis select').length).toBe(2);
    viewer.dispose();
  });

  it('shows DataFrame cells as text, never as markup', () => {
    const model = new ViewerModel(SUBJECT);
    const viewer = new TensorViewer({ model });
    model.setTable(
      {
        shape: [1, 1],
        columns: [{ name: 'name', dtype: 'object', missing: 0, unique: 1, mean: null, std: null, min: null, max: null }],
        head: [['<img src=x onerror=alert(1)>']],
        tail: [['<b>bold</b>']],
        headIndex: ['0'],
        tailIndex: ['0']
      },
      'globals'
    );
    expect(viewer.node.querySelector('img')).toBeNull();
    expect(viewer.node.querySelector('b')).toBeNull();
    expect(viewer.node.textContent).toContain('<img src=x onerror=alert(1)>');
    viewer.dispose();
  });

  it('asks for another slice when an index changes, clamped to the dimension', () => {
    const model = new ViewerModel(SUBJECT);
    const asked: unknown[] = [];
    model.requested.connect(() => asked.push(model.requestArgs()));
    model.setSlice({ ...slice(), shape: [5, 2, 2], axes: [1, 2], index: [0, 0, 0] }, null, 'globals');
    model.setIndex(0, 9);
    expect(asked).toEqual([{ axes: [1, 2], index: [4, 0, 0] }]);
    model.setAxes(0, 2);
    expect(asked[1]).toEqual({ axes: [0, 2], index: [0, 0, 0] });
  });
});
