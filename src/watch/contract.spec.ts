import { splitContract, watchRequest } from './contract';

describe('shape contracts on watches', () => {
  it('splits an expression from its contract', () => {
    expect(splitContract('images :: B 3 H W')).toEqual({ expression: 'images', contract: 'B 3 H W' });
    expect(splitContract('loss')).toEqual({ expression: 'loss', contract: null });
    expect(splitContract('x :: B * 10')).toEqual({ expression: 'x', contract: 'B * 10' });
  });

  it('leaves slicing alone', () => {
    expect(splitContract('x[::2]')).toEqual({ expression: 'x[::2]', contract: null });
    expect(splitContract('x[::2] :: N')).toEqual({ expression: 'x[::2]', contract: 'N' });
  });

  it('sends the expressions in order, with contracts only where given', () => {
    expect(watchRequest(['images :: B 3 H W', 'labels :: B', 'lr'])).toEqual({
      expressions: ['images', 'labels', 'lr'],
      contracts: { images: 'B 3 H W', labels: 'B' }
    });
  });
});
