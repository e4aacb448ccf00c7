/**
 * The child process of `renderPortfolioChartInChild`: draws one portfolio picture from the input
 * it is sent, answers with the PNG and exits, taking vega's and resvg's memory with it.
 */
import { chartInputFromWire, type ChartAnswer, type WireChartInput } from './chartProcess.js';
import { renderPortfolioChart } from './renderPortfolioChart.js';

function answer(message: ChartAnswer): void {
  process.send!(message, () => process.exit(0));
}

if (!process.send) {
  process.stderr.write('chartChild runs as a child of the bot (with an IPC channel), not on its own\n');
  process.exit(2);
}
// The bot went away before asking: nothing to draw for.
process.once('disconnect', () => process.exit(0));
process.once('message', (wire: WireChartInput) => {
  renderPortfolioChart(chartInputFromWire(wire)).then(
    (png) => answer({ type: 'png', png }),
    (error: unknown) =>
      answer({ type: 'failed', message: error instanceof Error ? error.message : String(error) }),
  );
});
