import { GatedError } from '@gated/core';

/** How many bytes per byte of the file each account of an import may allocate. */
export const BUDGET_FACTOR = 4;

/** One account of what an import may allocate, in bytes: `BUDGET_FACTOR` × the file's size.
 * An import keeps two — the constants it decodes and folds, and the weights it returns — so
 * its typed arrays never exceed 8 × the file, however the graph reuses its tensors (2,000 LSTM
 * nodes sharing one W would otherwise return 2,000 copies). Legitimate files need at most
 * ~2.4 × for the weights (zeros for a missing B beside a 1 × 1 layer) and ~3 × for folding
 * (torch.onnx.export without constant folding: decode, Concat of the gates, Concat of the
 * directions). Every charge is made before the allocation it pays for. */
export class ImportBudget {
  private used = 0;
  readonly limit: number;

  constructor(
    private readonly fileBytes: number,
    private readonly what: string,
  ) {
    this.limit = BUDGET_FACTOR * fileBytes;
  }

  /** Records `bytes` about to be allocated; INVALID_FILE if the account would go over. */
  charge(bytes: number, where: string): void {
    if (this.used + bytes > this.limit) {
      throw new GatedError(
        'INVALID_FILE',
        `${where}: ${this.what} would take ${this.used + bytes} bytes, over the import budget of ${this.limit} bytes (${BUDGET_FACTOR} × the file's ${this.fileBytes} bytes)`,
      );
    }
    this.used += bytes;
  }
}
