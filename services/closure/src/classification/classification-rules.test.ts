import { describe, expect, it } from "vitest";
import { ClassificationRefused, classificationRefusal } from "./classification-rules.js";

describe("classificationRefusal", () => {
  it("lets the commission classify an open, unclassified clue not classified before", () => {
    expect(classificationRefusal({ state: "open", nature: "unclassified", classified: false })).toBeNull();
  });

  it.each(["concluded", "fed-back", "closed", "transferred"] as const)("refuses a %s clue as not open", (state) => {
    const refused = classificationRefusal({ state, nature: "unclassified", classified: false });
    expect(refused).toBeInstanceOf(ClassificationRefused);
    expect(refused?.reason).toBe("not-open");
    expect(refused?.message).toContain(state);
  });

  it.each(["discipline", "service", "both"] as const)("refuses a %s clue: a category matched already", (nature) => {
    const refused = classificationRefusal({ state: "open", nature, classified: false });
    expect(refused?.reason).toBe("not-unclassified");
    expect(refused?.message).toContain(nature);
  });

  it("refuses a second classification, whatever the clue's state and nature became", () => {
    expect(classificationRefusal({ state: "open", nature: "unclassified", classified: true })?.reason).toBe("classified-already");
    expect(classificationRefusal({ state: "open", nature: "discipline", classified: true })?.reason).toBe("classified-already");
  });
});
