/**
 * Reads figures out of a Prometheus text exposition (what the bot's `/metrics` serves), for
 * benchmarks that scrape the running process.
 */

/**
 * The sum of every sample of metric `name` over all its label sets (e.g. orders placed by all
 * strategies), or undefined when the metric has no sample. `name` must match exactly: the
 * histogram series `<name>_bucket`, `_sum` and `_count` are other names.
 */
export function metricSum(text: string, name: string): number | undefined {
  let sum: number | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || !line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const labelsEnd = rest[0] === '{' ? rest.indexOf('}') + 1 : 0;
    const value = Number(rest.slice(labelsEnd).trim().split(/\s+/)[0]);
    if (!Number.isFinite(value)) continue;
    sum = (sum ?? 0) + value;
  }
  return sum;
}
