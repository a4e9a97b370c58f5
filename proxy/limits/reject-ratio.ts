export interface RejectRatioSettings {
  /** Ban when rejected/checked reaches this over a round; 0 = never. */
  ratio: number;
  /** Shares in one round. */
  minShares: number;
}

/**
 * One connection's share verdicts in rounds of `minShares` (NOMP's invalid-share check): at the
 * end of each round the reject ratio is judged, then the counts start again. Pure.
 */
export class RejectRatio {
  private accepted = 0;
  private rejected = 0;

  /** Counts a verdict; returns the round's ratio when the round ended at or above the limit. */
  record(accepted: boolean, settings: RejectRatioSettings): number | null {
    if (accepted) this.accepted += 1;
    else this.rejected += 1;
    const checked = this.accepted + this.rejected;
    if (checked < settings.minShares) return null;
    const ratio = this.rejected / checked;
    this.accepted = 0;
    this.rejected = 0;
    return settings.ratio > 0 && ratio >= settings.ratio ? ratio : null;
  }
}
