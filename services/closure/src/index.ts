// The closure service as a library, for cross-service tests and tools: no side effects (main.ts has them).
export { type AppDeps, createApp } from "./app.js";
export { createWorkingCalendar, loadChineseDaysSource } from "./calendar/index.js";
export { ClosureEnv, loadClosureConfig, policyOf } from "./config.js";
export { createFeedbackHandler, createLedgerBatchHandler, createRoutedHandler } from "./consume/ledger-handlers.js";
export { ledgerMigrations, openLedgerDatabase } from "./db/open-ledger-database.js";
export { createDeadlineScan } from "./deadline-scan/deadline-scan.js";
export { createPendingDeadlineResolver } from "./deadline-scan/pending-deadlines.js";
export { createDeadlineClock, type DeadlinePolicy, defaultDeadlinePolicy } from "./deadlines/deadline-clock.js";
export { LedgerEvent } from "./ledger/events/ledger-event.js";
export { createLedger, type Ledger } from "./ledger/ledger.js";
export { noRowsWithoutParent, type ParentLink, rowsWithoutParent } from "./ledger/parent-rows.js";
export { createOutboxRelay } from "./outbox/outbox-relay.js";
