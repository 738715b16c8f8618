import { exceptionBreakpointArgs, parseExceptionTypes } from './exceptions';

describe('parseExceptionTypes', () => {
  it('reads names separated by commas or spaces, once each', () => {
    expect(
      parseExceptionTypes('FloatingPointError, RuntimeError  torch.cuda.OutOfMemoryError,RuntimeError')
    ).toEqual({
      types: ['FloatingPointError', 'RuntimeError', 'torch.cuda.OutOfMemoryError'],
      invalid: []
    });
  });

  it('names what is not a Python name', () => {
    expect(parseExceptionTypes('ValueError, 3rd, a-b')).toEqual({
      types: ['ValueError'],
      invalid: ['3rd', 'a-b']
    });
  });
});

describe('exceptionBreakpointArgs', () => {
  it('keeps the filters and adds the types as a raised-anywhere option', () => {
    expect(exceptionBreakpointArgs(['userUnhandled'], ['FloatingPointError'])).toEqual({
      filters: ['userUnhandled'],
      exceptionOptions: [
        {
          path: [{ names: ['Python Exceptions'] }, { names: ['FloatingPointError'] }],
          breakMode: 'always'
        }
      ]
    });
  });

  it('sends the filters alone when no type is named', () => {
    expect(exceptionBreakpointArgs(['raised'], [])).toEqual({ filters: ['raised'] });
  });
});
