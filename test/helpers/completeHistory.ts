/**
 * The fill-history port for cores whose ledger the test fills directly: every asset's history is
 * complete and a first order needs no preparation.
 */
export const completeHistory = {
  isReady: (): boolean => true,
  prioritise: (): void => {},
  beforeOrder: async (): Promise<void> => {},
};

/** No first start recorded: every fill in the look-back window counts for foreign activity. */
export const noHistoryBefore = (): number => Number.NEGATIVE_INFINITY;
