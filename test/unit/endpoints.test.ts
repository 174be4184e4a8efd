import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configuredEndpoint, endpointForClient, type ConfigSections } from '../../src/core/endpoints';

const config: ConfigSections = {
  plain: {},
  withUrl: { endpoint_url: 'http://profile-global:1' },
  withServices: { services: 'local', endpoint_url: 'http://profile-global:2' },
  ignoring: { endpoint_url: 'http://ignored:3', ignore_configured_endpoint_urls: 'true' },
  'services.local': { 'ec2.endpoint_url': 'http://services-ec2:4' },
};

test('precedence: service env var, then global env var, then services section, then endpoint_url', () => {
  assert.equal(configuredEndpoint('ec2', 'withServices', config, { AWS_ENDPOINT_URL_EC2: 'http://env-ec2', AWS_ENDPOINT_URL: 'http://env' }), 'http://env-ec2');
  assert.equal(configuredEndpoint('ec2', 'withServices', config, { AWS_ENDPOINT_URL: 'http://env' }), 'http://env');
  assert.equal(configuredEndpoint('ec2', 'withServices', config, {}), 'http://services-ec2:4');
  assert.equal(configuredEndpoint('sts', 'withServices', config, {}), 'http://profile-global:2', 'services section has no sts entry');
  assert.equal(configuredEndpoint('ec2', 'withUrl', config, {}), 'http://profile-global:1');
  assert.equal(configuredEndpoint('ec2', 'plain', config, {}), undefined);
  assert.equal(configuredEndpoint('sts', 'plain', config, { AWS_ENDPOINT_URL_STS: 'http://env-sts' }), 'http://env-sts');
  assert.equal(configuredEndpoint('ec2', 'plain', config, { AWS_ENDPOINT_URL_STS: 'http://env-sts' }), undefined);
});

test('ignore_configured_endpoint_urls in the profile or the environment disables all of them', () => {
  assert.equal(configuredEndpoint('ec2', 'ignoring', config, { AWS_ENDPOINT_URL_EC2: 'http://env-ec2' }), undefined);
  assert.equal(configuredEndpoint('ec2', 'withUrl', config, { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }), undefined);
  assert.equal(configuredEndpoint('ec2', 'withUrl', config, { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'false' }), 'http://profile-global:1');
});

test("a profile without an endpoint is pinned to the public one when AWS_PROFILE's profile has one", () => {
  assert.equal(endpointForClient('ec2', 'plain', 'eu-west-1', config, { AWS_PROFILE: 'withUrl' }), 'https://ec2.eu-west-1.amazonaws.com');
  assert.equal(endpointForClient('ec2', 'plain', 'cn-north-1', config, { AWS_PROFILE: 'withUrl' }), 'https://ec2.cn-north-1.amazonaws.com.cn');
  assert.equal(endpointForClient('ec2', 'plain', 'eu-west-1', config, {}), undefined);
  assert.equal(endpointForClient('ec2', 'withUrl', 'eu-west-1', config, { AWS_PROFILE: 'withServices' }), 'http://profile-global:1');
});
