import * as l10n from '@vscode/l10n';
import {
  DescribeOrganizationCommand,
  ListAccountsCommand,
  ListOrganizationalUnitsForParentCommand,
  ListRootsCommand,
} from '@aws-sdk/client-organizations';
import { organizationsRegion, unitPathOf, type OrganizationAccount, type OrganizationDirectory, type OrganizationUnit } from '../core/organizations';
import type { AwsTarget } from '../core/types';
import type { AwsGateway, CallOptions } from './gateway';

/** The most Organizations' List operations return per page. */
const MAX_RESULTS = 20;
/** A guard against a service that keeps returning a NextToken: 500 pages = 10,000 accounts. */
const MAX_PAGES = 500;

/**
 * Reads the organization a profile can see: DescribeOrganization, ListRoots, every page of ListAccounts and
 * the OU tree (ListOrganizationalUnitsForParent from the root down). Every call goes through the gateway,
 * so it is paced by its Organizations bucket; any failure (AccessDeniedException for a member account,
 * AWSOrganizationsNotInUseException, no endpoint) rejects with the gateway's AwsActionError.
 */
export async function readOrganization(gateway: AwsGateway, profile: string, options: CallOptions = {}): Promise<OrganizationDirectory> {
  const target: AwsTarget = { profile, region: organizationsRegion(await gateway.defaultRegion(profile)) };
  const call = { priority: options.priority ?? 'user', ...(options.signal ? { signal: options.signal } : {}) } as const;
  const { Organization } = await gateway.send(target, new DescribeOrganizationCommand({}), call);
  if (!Organization?.Id || !Organization.Arn || !Organization.MasterAccountId) throw new Error(l10n.t('DescribeOrganization returned no organization'));
  const organizationId = Organization.Id;

  const roots = await allPages(async (token) => {
    const page = await gateway.send(target, new ListRootsCommand({ MaxResults: MAX_RESULTS, ...(token ? { NextToken: token } : {}) }), call);
    return { items: page.Roots ?? [], next: page.NextToken };
  });
  const rootId = roots[0]?.Id;
  if (!rootId) throw new Error(l10n.t('ListRoots returned no root'));

  const accounts = await allPages(async (token) => {
    const page = await gateway.send(target, new ListAccountsCommand({ MaxResults: MAX_RESULTS, ...(token ? { NextToken: token } : {}) }), call);
    return { items: page.Accounts ?? [], next: page.NextToken };
  });

  const units: OrganizationUnit[] = [];
  const pending = [rootId];
  while (pending.length > 0) {
    const parentId = pending.shift()!;
    const children = await allPages(async (token) => {
      const page = await gateway.send(
        target,
        new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, MaxResults: MAX_RESULTS, ...(token ? { NextToken: token } : {}) }),
        call,
      );
      return { items: page.OrganizationalUnits ?? [], next: page.NextToken };
    });
    for (const child of children) {
      if (!child.Id || !child.Arn || units.some((unit) => unit.id === child.Id)) continue;
      units.push({ id: child.Id, arn: child.Arn, name: child.Name ?? child.Id, parentId });
      pending.push(child.Id);
    }
  }

  return {
    organizationId,
    organizationArn: Organization.Arn,
    managementAccountId: Organization.MasterAccountId,
    rootId,
    units,
    accounts: accounts.flatMap((account): OrganizationAccount[] => {
      if (!account.Id) return [];
      const unitPath = account.Paths?.map((path) => unitPathOf(path, organizationId, rootId, account.Id!)).find((path) => path !== undefined);
      return [{ id: account.Id, name: account.Name ?? '', status: account.State ?? account.Status ?? 'ACTIVE', ...(unitPath ? { unitPath } : {}) }];
    }),
  };
}

/** Follows NextToken until it is absent: Organizations may return an empty page that still has one. */
async function allPages<T>(fetch: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetch(token);
    items.push(...result.items);
    if (!result.next) return items;
    token = result.next;
  }
  throw new Error(l10n.t('AWS Organizations kept returning NextToken after {0} pages', MAX_PAGES));
}
