import { ec2Errors } from '../errors';
import type { CreateVolumePermission, LaunchPermission } from '../fixture/fixture';
import type { QueryParams } from '../query';

/**
 * Launch permissions (AMIs) and create-volume permissions (snapshots) as single grants, and the
 * add/remove changes ModifyImageAttribute / ModifySnapshotAttribute request in either of their forms:
 *   structured: `LaunchPermission.Add.1.UserId=…`, `CreateVolumePermission.Remove.1.Group=all`
 *   list:       `OperationType=add` + `UserId.1=…`, `UserGroup.1=all`, `OrganizationArn.1=…`, …
 */

export type GrantKind = 'UserId' | 'Group' | 'OrganizationArn' | 'OrganizationalUnitArn';

/** One grant. Values are unvalidated strings until the caller checks them. */
export interface Grant {
  kind: GrantKind;
  value: string;
}

export interface GrantChange {
  add: Grant[];
  remove: Grant[];
}

export const LAUNCH_PERMISSION_KINDS: readonly GrantKind[] = ['UserId', 'Group', 'OrganizationArn', 'OrganizationalUnitArn'];
export const VOLUME_PERMISSION_KINDS: readonly GrantKind[] = ['UserId', 'Group'];

/** Parameter names of the list form. */
const LIST_PARAMETER: Record<GrantKind, string> = {
  UserId: 'UserId',
  Group: 'UserGroup',
  OrganizationArn: 'OrganizationArn',
  OrganizationalUnitArn: 'OrganizationalUnitArn',
};

function grantsFromMembers(members: QueryParams[], kinds: readonly GrantKind[]): Grant[] {
  const grants: Grant[] = [];
  for (const member of members) {
    for (const kind of kinds) {
      const value = member.get(kind);
      if (value !== undefined) {
        grants.push({ kind, value });
      }
    }
  }
  return grants;
}

/** The requested change, or undefined when the request carries no permission parameters at all. */
export function readGrantChange(
  params: QueryParams,
  structName: 'LaunchPermission' | 'CreateVolumePermission',
  kinds: readonly GrantKind[],
): GrantChange | undefined {
  const change: GrantChange = {
    add: grantsFromMembers(params.members(`${structName}.Add`), kinds),
    remove: grantsFromMembers(params.members(`${structName}.Remove`), kinds),
  };
  const structured = params.hasAny(structName);

  const listed: Grant[] = kinds.flatMap((kind) => params.list(LIST_PARAMETER[kind]).map((value) => ({ kind, value })));
  const operation = params.get('OperationType');
  if (listed.length > 0 || operation !== undefined) {
    if (operation === 'add') {
      change.add.push(...listed);
    } else if (operation === 'remove') {
      change.remove.push(...listed);
    } else if (operation === undefined) {
      throw ec2Errors.missingParameter('OperationType');
    } else {
      throw ec2Errors.invalidParameterValue(`Value (${operation}) for parameter operationType is invalid. Unknown operation type.`);
    }
  }
  return structured || listed.length > 0 || operation !== undefined ? change : undefined;
}

export function sameGrant(a: Grant, b: Grant): boolean {
  return a.kind === b.kind && a.value === b.value;
}

/** Adds (skipping duplicates), then removes; removing an absent grant is not an error. */
export function applyGrantChange(current: readonly Grant[], change: GrantChange): Grant[] {
  const result = [...current];
  for (const grant of change.add) {
    if (!result.some((existing) => sameGrant(existing, grant))) {
      result.push(grant);
    }
  }
  return result.filter((grant) => !change.remove.some((removed) => sameGrant(removed, grant)));
}

export function launchPermissionGrants(permissions: readonly LaunchPermission[]): Grant[] {
  return permissions.flatMap((permission) =>
    LAUNCH_PERMISSION_KINDS.flatMap((kind) => {
      const value = permission[kind];
      return value === undefined ? [] : [{ kind, value }];
    }),
  );
}

/** Only call with validated grants (Group values are `all`). */
export function toLaunchPermission(grant: Grant): LaunchPermission {
  return grant.kind === 'Group' ? { Group: 'all' } : { [grant.kind]: grant.value };
}

export function volumePermissionGrants(permissions: readonly CreateVolumePermission[]): Grant[] {
  return launchPermissionGrants(permissions);
}

export function toCreateVolumePermission(grant: Grant): CreateVolumePermission {
  return grant.kind === 'Group' ? { Group: 'all' } : { UserId: grant.value };
}
