/**
 * `converseiq-kit/mock`, the package's entry point for the mock: `startMock` (the HTTP mock on a free
 * loopback port, for a consumer's tests), `createMockFetch` (the mock in process, as a fetch, no socket),
 * `connectMock` (the `MockControl` of a mock in another process, over its admin API) and `startProxy` (the
 * validating proxy in front of the live API). The package's `exports` map it; see
 * the README's "In your tests".
 */

export {
  type ConnectedMock,
  type ConnectMockOptions,
  connectMock,
  type MockClockControl,
  type MockClockState,
  type MockControl,
} from "./control.ts";
export type {
  DocumentedStatus,
  OverrideCall,
  OverrideControl,
  OverrideFn,
  OverrideHandle,
  OverrideOptions,
  OverrideWhen,
  ResponseBody,
  ScenarioName,
} from "./override-control.ts";
export {
  type Exchange,
  type ProxyOptions,
  type ProxyReport,
  startProxy,
  type ValidatingProxy,
  type Violation,
} from "./proxy/index.ts";
export type { Consistency, RedisOptions } from "./replication/redis-options.ts";
export {
  MockAdminError,
  type MockCoverage,
  type MockFixtures,
  type MockJournalEntry,
  type MockJournalFile,
  type MockSeedOptions,
  type MockSnapshot,
  type MockWorkspace,
  type MockWorkspaceOptions,
  type RunningMock,
  type StartMockOptions,
  startMock,
} from "./start-mock.ts";
export {
  createMockFetch,
  type MockFetch,
  type MockFetchOptions,
} from "./transports/fetch.ts";
