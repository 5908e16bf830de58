/**
 * Local fakes of the five registrar APIs, for tests only: published as `@catalyst/plugin-pdm-backend/testing`,
 * never from the package index, so production code cannot reach them by accident. Each is a real
 * HTTP server on 127.0.0.1 with a random port: `await fake.start()` returns the base URL to put in
 * `pdm.registrars.<id>.baseUrl`, and `await fake.stop()` closes it.
 */
export { FakeCloudflareServer } from './cloudflare/fakeCloudflareServer';
export type { FakeCloudflareZoneInput } from './cloudflare/fakeCloudflareServer';
export { FakeGoDaddyServer } from './godaddy/fakeGoDaddyServer';
export type { FakeGoDaddyDomainInput } from './godaddy/fakeGoDaddyServer';
export { FakeNamecheapServer } from './namecheap/fakeNamecheapServer';
export type { FakeNamecheapUserInput } from './namecheap/fakeNamecheapServer';
export { FakeOvhServer } from './ovh/fakeOvhServer';
export type { FakeOvhCredentialInput } from './ovh/fakeOvhServer';
export { FakeDynadotServer } from './dynadot/fakeDynadotServer';
export { FakeUpstreamServer } from './fakeUpstreamServer';
export type { InjectedFailure, RecordedRequest } from './fakeUpstreamServer';
