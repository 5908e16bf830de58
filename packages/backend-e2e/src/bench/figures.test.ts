import { median, percentile, printFigure } from './figures';

describe('benchmark figures', () => {
  it('prints one tab-separated BENCH line per figure', () => {
    const write = jest
      .spyOn(process.stdout, 'write')
      .mockImplementation(() => true);
    try {
      printFigure('redeem_p95', 12.3456, 'ms');
      printFigure('ratio', 1.23456, 'ratio', 3);
      expect(write.mock.calls.map(c => c[0])).toEqual([
        'BENCH\tredeem_p95\t12.35\tms\n',
        'BENCH\tratio\t1.235\tratio\n',
      ]);
    } finally {
      write.mockRestore();
    }
  });

  it('takes the median without reordering the input', () => {
    const values = [5, 1, 4, 2, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 4, 2, 3]);
    expect(median([4, 1, 3, 2])).toBe(3);
    expect(() => median([])).toThrow('median of no values');
  });

  it('takes nearest-rank percentiles of unsorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(() => percentile(values, 0)).toThrow('not in (0, 100]');
    expect(() => percentile([], 50)).toThrow('percentile of no values');
  });
});
