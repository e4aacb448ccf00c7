import { describe, expect, it } from 'vitest';
import { metricSum } from '../../bench/lib/promText.js';

const TEXT = [
  '# HELP autopilot_orders_placed_total Orders sent to the exchange, by strategy (origin)',
  '# TYPE autopilot_orders_placed_total counter',
  'autopilot_orders_placed_total{origin="accumulate"} 12',
  'autopilot_orders_placed_total{origin="scanner"} 3',
  'autopilot_api_weight_used_total 17742',
  'autopilot_order_fill_seconds_bucket{le="1",origin="accumulate"} 4',
  'autopilot_order_fill_seconds_sum{origin="accumulate"} 9.5',
  'autopilot_nodejs_heap_size_used_bytes 1.8e+08',
].join('\n');

describe('metricSum', () => {
  it('sums a metric over all its label sets', () => {
    expect(metricSum(TEXT, 'autopilot_orders_placed_total'), 'accumulate 12 + scanner 3').toBe(15);
  });

  it('reads an unlabelled sample, including exponent notation', () => {
    expect(metricSum(TEXT, 'autopilot_api_weight_used_total')).toBe(17742);
    expect(metricSum(TEXT, 'autopilot_nodejs_heap_size_used_bytes')).toBe(1.8e8);
  });

  it('does not mistake the series of a longer name for the metric', () => {
    expect(metricSum(TEXT, 'autopilot_order_fill_seconds'), 'only _bucket and _sum exist').toBeUndefined();
  });

  it('is undefined for a metric without samples', () => {
    expect(metricSum(TEXT, 'autopilot_missing_total')).toBeUndefined();
  });
});
