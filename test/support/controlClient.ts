/** Talks to the test endpoint's /__control/ API from other processes (extension host, browser tests). */
export interface ControlImage {
  accountId: string;
  region: string;
  imageId: string;
  name: string;
  state: string;
  isPublic: boolean;
  launchPermissions: Array<{ UserId?: string; Group?: string; OrganizationArn?: string; OrganizationalUnitArn?: string }>;
  deprecationTime?: string;
  deregistrationProtection?: { enabled: true; withCooldown: boolean } | { enabled: false; disabledUntil: string };
  lastLaunchedTime?: string;
}

export class ControlClient {
  constructor(readonly baseUrl: string) {}

  static fromEnvironment(): ControlClient {
    const url = process.env.AMI_SHARING_TEST_ENDPOINT;
    if (!url) throw new Error('AMI_SHARING_TEST_ENDPOINT is not set; run through the test launcher');
    return new ControlClient(url);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/__control/${path}`, {
      method,
      ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`control ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  async images(accountId: string, region: string): Promise<ControlImage[]> {
    const result = await this.call<{ images: ControlImage[] } | ControlImage[]>('GET', `images?accountId=${accountId}&region=${region}`);
    return Array.isArray(result) ? result : result.images;
  }

  async image(accountId: string, region: string, name: string): Promise<ControlImage> {
    const found = (await this.images(accountId, region)).find((image) => image.name === name);
    if (!found) throw new Error(`no image named ${name} in ${accountId}/${region}`);
    return found;
  }

  async requests(): Promise<Array<{ action: string; accountId?: string; region: string; status: number }>> {
    const result = await this.call<{ requests: Array<{ action: string; accountId?: string; region: string; status: number }> } | Array<{ action: string; accountId?: string; region: string; status: number }>>('GET', 'requests');
    return Array.isArray(result) ? result : result.requests;
  }

  async snapshots(accountId: string, region: string): Promise<Array<{ snapshotId: string; createVolumePermissions: Array<{ UserId?: string; Group?: string }> }>> {
    return this.call('GET', `snapshots?accountId=${accountId}&region=${region}`);
  }

  async keys(accountId: string, region: string): Promise<Array<{ arn: string; aliases: string[]; policy: string }>> {
    return this.call('GET', `keys?accountId=${accountId}&region=${region}`);
  }

  reset(): Promise<unknown> {
    return this.call('POST', 'reset');
  }

  changeLaunchPermissions(body: { accountId: string; region: string; imageId: string; add?: object[]; remove?: object[] }): Promise<unknown> {
    return this.call('POST', 'launch-permissions', body);
  }

  registerImage(body: { accountId: string; region: string; name: string; launchPermissions?: object[]; kmsKeyAlias?: string }): Promise<ControlImage> {
    return this.call('POST', 'images', body);
  }

  /** Lifecycle fields EC2 sets by itself (a last launch, a past deprecation): null clears. */
  imageLifecycle(body: { accountId: string; region: string; imageId: string; deprecationTime?: string | null; lastLaunchedTime?: string | null; protectionDisabledUntil?: string | null }): Promise<ControlImage> {
    return this.call('POST', 'image-lifecycle', body);
  }

  /** A resource of `accountId` that references the AMI (what DescribeImageReferences answers to that account). */
  addImageReference(body: { accountId: string; region: string; imageId: string; resourceType: string; arn: string }): Promise<unknown> {
    return this.call('POST', 'image-references', body);
  }

  fault(body: object): Promise<unknown> {
    return this.call('POST', 'faults', body);
  }
}
