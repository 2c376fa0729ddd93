// Type judging lives with evidence storage, where the closure's unit uploads use it too.
export { canonicalMediaType, detectMediaType, judgeMediaType, type MediaTypeJudgement } from "@clueline/evidence";
