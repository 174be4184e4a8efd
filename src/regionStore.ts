import type * as vscode from 'vscode';

/** Remembers the Regions chosen per profile across restarts (global state, not settings: it is per machine). */
export class RegionStore {
  private static readonly KEY = 'amiSharing.regionsByProfile';
  constructor(private readonly state: vscode.Memento) {}

  get(profile: string): string[] | undefined {
    return this.all()[profile];
  }

  async set(profile: string, regions: string[]): Promise<void> {
    await this.state.update(RegionStore.KEY, { ...this.all(), [profile]: regions });
  }

  private all(): Record<string, string[]> {
    return this.state.get<Record<string, string[]>>(RegionStore.KEY) ?? {};
  }
}
