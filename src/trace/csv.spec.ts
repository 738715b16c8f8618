/**
 * The CSV a user exports from the Trace section.
 */
import { quote, traceToCsv } from './csv';
import { traceRow } from './testing/fakes';

describe('traceToCsv', () => {
  const cellOf = (path: string) => (path === '/tmp/ipykernel_1/10.py' ? 3 : null);

  it('writes a header and one line per row, numbers as numbers', () => {
    const csv = traceToCsv([traceRow(1, { loss: 0.25, step: 10 })], {
      columns: ['loss', 'step'],
      cellOf
    });
    const [header, line, end] = csv.split('\r\n');
    expect(header).toBe('time,cell,path,line,hit,log,error,loss,step');
    expect(line).toBe(
      `${new Date((1795670198 + 1) * 1000).toISOString()},3,/tmp/ipykernel_1/10.py,4,1,step 1,,0.25,10`
    );
    expect(end).toBe('');
  });

  it('quotes commas, quotes and line breaks so the table reads back as it was', () => {
    const row = traceRow(
      2,
      { "'a,b'": 'a,b', q: 'say "hi"' },
      { log: 'line one\nline two', path: '/x/other.py' }
    );
    const csv = traceToCsv([row], { columns: ["'a,b'", 'q'], cellOf });
    expect(csv.split('\r\n')[0]).toBe(`time,cell,path,line,hit,log,error,"'a,b'",q`);
    expect(csv).toContain(',,/x/other.py,4,2,"line one\nline two",,"a,b","say ""hi"""');
  });

  it('writes NaN as the probe summarised it, and a missing value as empty', () => {
    const csv = traceToCsv([traceRow(3, { loss: null })], {
      columns: ['loss', 'absent'],
      cellOf
    });
    expect(csv.split('\r\n')[1].endsWith(',nan,')).toBe(true);
  });

  it('writes a secret as the kernel masked it: the trace never holds it unmasked', () => {
    const masked = '•••••• (secret: masked)';
    const row = traceRow(4, { api_token: masked }, { log: `login with ${masked}` });
    const csv = traceToCsv([row], { columns: ['api_token'], cellOf });
    expect(csv.split('\r\n')[1]).toContain(`,login with ${masked},,${masked}`);
  });

  it('quotes only where needed', () => {
    expect(quote('plain')).toBe('plain');
    expect(quote(' padded')).toBe('" padded"');
    expect(quote('a\rb')).toBe('"a\rb"');
  });
});
