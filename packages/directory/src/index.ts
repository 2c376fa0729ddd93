export { defaultDirectoryPath } from "./default-directory-path.js";
export {
  Category,
  ConductFromService,
  Department,
  Directory,
  DirectoryId,
  DisciplineConclusionDays,
  defaultConductFromService,
  defaultDisciplineConclusionDays,
  defaultSimilarityThreshold,
  ExternalBody,
  Leader,
  maxExampleLength,
  maxExamples,
  Policy,
  Town,
  Unit,
} from "./directory.js";
export { createDirectoryHolder, type DirectoryHolder, type DirectoryLogger, type DirectoryReload } from "./directory-holder.js";
export { DirectoryInvalid, type DirectoryProblem, describeProblem, formatPath } from "./directory-invalid.js";
export { normalizeText } from "./normalize-text.js";
export { type DirectoryFormat, loadDirectory, parseDirectory, parseDirectoryFile } from "./parse-directory.js";
