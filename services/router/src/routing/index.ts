export { analyzeComplaint, type ComplaintAnalysis } from "./analyze-complaint.js";
export {
  type BatchOutcome,
  type BatchRouteOptions,
  type ComplaintRouterDeps,
  createBatchRouter,
  createComplaintRouter,
  loadHistory,
  lockKeysOf,
  readHistory,
} from "./create-complaint-router.js";
export { disciplineTrack } from "./discipline-track.js";
export { escalationReasons } from "./escalation.js";
export {
  departmentKey,
  emptyHistory,
  type HistoryQuery,
  type HistorySnapshot,
  historyQueryFor,
  type MergeTarget,
  type SubjectKey,
  townKey,
} from "./history.js";
export { type CategoryMatches, evidenceOf, matchCategories } from "./match-categories.js";
export { type RouteParams, route } from "./route.js";
export { serviceTrack } from "./service-track.js";
