import { loadAws, type LazyGateway } from './awsLoader';
import type { AwsLogger } from './core/logger';
import { mergeAccountNames, type OrganizationDirectory } from './core/organizations';

/**
 * The AWS Organizations directory each profile can read, read once per session (refresh drops it). A
 * profile that cannot read it (AccessDeniedException for member accounts, AWSOrganizationsNotInUseException,
 * an endpoint that does not answer) gets `undefined`: callers fall back to typed account IDs, and the reason
 * is logged once.
 */
export class OrganizationStore {
  private readonly reads = new Map<string, Promise<OrganizationDirectory | undefined>>();
  private readonly directories = new Map<string, OrganizationDirectory>();
  private readonly finished = new Set<string>();

  constructor(
    private readonly gateway: LazyGateway,
    private readonly logger: AwsLogger,
    /** Called when a directory was read, so views can show the names it brought. */
    private readonly onRead: () => void = () => undefined,
  ) {
    gateway.onInvalidate((profile) => this.clear(profile));
  }

  /** The profile's organization, or undefined when it cannot be read. Never rejects. */
  directory(profile: string): Promise<OrganizationDirectory | undefined> {
    let pending = this.reads.get(profile);
    if (!pending) {
      const read = this.read(profile);
      pending = read;
      this.reads.set(profile, read);
      void read.then(() => {
        if (this.reads.get(profile) === read) this.finished.add(profile);
      });
    }
    return pending;
  }

  /** Whether directory(profile) has its answer already (read, or known to be unreadable), so no wait is shown. */
  settled(profile: string): boolean {
    return this.finished.has(profile);
  }

  private async read(profile: string): Promise<OrganizationDirectory | undefined> {
    try {
      const [aws, gateway] = await Promise.all([loadAws(), this.gateway.get()]);
      const directory = await aws.readOrganization(gateway, profile);
      // A refresh while the read ran dropped it: do not bring it back.
      if (this.reads.has(profile)) {
        this.directories.set(profile, directory);
        this.onRead();
      }
      this.logger.info(`AWS Organizations for ${profile}: ${directory.accounts.length} accounts, ${directory.units.length} OUs in ${directory.organizationId}`);
      return directory;
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).name;
      this.logger.info(`AWS Organizations cannot be read with profile ${profile} (${code}: ${(error as Error).message}); account input stays typed IDs and ARNs.`);
      return undefined;
    }
  }

  /** Names from every organization read so far; `amiSharing.accountNames` (configured) wins. */
  accountNames(configured: Readonly<Record<string, string>>): Record<string, string> {
    return mergeAccountNames([...this.directories.values()], configured);
  }

  clear(profile?: string): void {
    if (profile === undefined) {
      this.reads.clear();
      this.directories.clear();
      this.finished.clear();
      return;
    }
    this.reads.delete(profile);
    this.directories.delete(profile);
    this.finished.delete(profile);
  }
}
