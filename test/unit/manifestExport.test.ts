import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manifestFromSharing, terraformFromSharing, type SharedImage } from '../../src/core/manifest/exportState';
import { parseManifest } from '../../src/core/manifest/parse';
import { terminalSafe } from '../../src/core/terminalText';

const HOSTILE: SharedImage = {
  profile: 'dev',
  region: 'us-east-1',
  imageId: 'ami-0123456789abcdef0',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a Terraform interpolation in a hostile AMI name is the point of this test.
  name: 'evil\n}\nresource "x" "y" { ${file("/etc/passwd")} *[a]',
  launch: [{ UserId: '111122223333' }, { Group: 'all' }, { OrganizationArn: 'arn:aws:organizations::111111111111:organization/o-abc123def4' }],
  snapshots: [{ snapshotId: 'snap-1', permissions: [{ UserId: '111122223333' }, { Group: 'all' }] }],
};

test('Terraform export: one resource per entry, no AMI text outside a one-line comment', () => {
  const text = terraformFromSharing([HOSTILE]);
  assert.match(text, /resource "aws_ami_launch_permission" "dev_us_east_1_ami_0123456789abcdef0_111122223333" \{\n {2}provider {3}= aws.dev_us_east_1\n {2}image_id {3}= "ami-0123456789abcdef0"\n {2}account_id = "111122223333"\n\}/);
  assert.match(text, /group += "all"/);
  assert.match(text, /organization_arn = "arn:aws:organizations::111111111111:organization\/o-abc123def4"/);
  assert.match(text, /aws_snapshot_create_volume_permission" "dev_us_east_1_snap_1_111122223333"/);
  assert.match(text, /# snap-1 is public/);
  assert.equal(text.split('\n').filter((l) => l.includes('resource "x"')).every((l) => l.startsWith('#')), true, 'the name stays inside its comment');
});

test('manifest export: an exact-name exclusive policy per AMI that validates', () => {
  const manifest = manifestFromSharing([HOSTILE]);
  const policy = manifest.policies[0]!;
  assert.equal(policy.exclusive, true);
  assert.equal(policy.public, true);
  assert.equal(policy.snapshots, true);
  assert.ok(policy.images.namePattern!.endsWith('\\*\\[a\\]'));
  assert.equal(parseManifest(JSON.stringify(manifest), { profiles: ['dev'] }).ok, true);
});

test('terminal text: control characters and bidi overrides become ?', () => {
  assert.equal(terminalSafe('a\u001b[31mb\r\nc\u202ed'), 'a?[31mb??c?d');
});
