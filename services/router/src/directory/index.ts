import type { DirectoryHolder as Holder, DirectoryReload as Reload } from "@clueline/directory";
import type { CompiledDirectory } from "./compile-directory.js";

export {
  Category,
  createDirectoryHolder,
  Department,
  Directory,
  DirectoryInvalid,
  type DirectoryLogger,
  type DirectoryProblem,
  defaultDirectoryPath,
  defaultSimilarityThreshold,
  describeProblem,
  ExternalBody,
  formatPath,
  loadDirectory,
  maxExampleLength,
  maxExamples,
  normalizeText,
  Policy,
  parseDirectory,
  Town,
  Unit,
} from "@clueline/directory";
export { type CategoryHit, type CompiledDirectory, compileDirectory, type SubjectRef } from "./compile-directory.js";
export { createPatternMatcher, type PatternMatch, type PatternMatcher } from "./pattern-matcher.js";

/** The router holds its directory compiled: matchers built once per version of the file. */
export type DirectoryHolder = Holder<CompiledDirectory>;
export type DirectoryReload = Reload<CompiledDirectory>;
