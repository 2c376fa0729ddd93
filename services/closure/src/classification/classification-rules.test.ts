import { describe, expect, it } from "vitest";
import { ClassificationRefused, classificationRefusal } from "./classification-rules.js";

describe("classificationRefusal", () => {
  it("lets the commission classify an open, unclassified clue not classified before", () => {
    expect(classificationRefusal({ state: "open", nature: "unclassified", classification: "none" })).toBeNull();
  });

  it.each(["concluded", "fed-back", "closed", "transferred"] as const)("refuses a %s clue as not open", (state) => {
    const refused = classificationRefusal({ state, nature: "unclassified", classification: "none" });
    expect(refused).toBeInstanceOf(ClassificationRefused);
    expect(refused?.reason).toBe("not-open");
    expect(refused?.message).toContain(state);
  });

  it.each(["discipline", "service", "both"] as const)("refuses a %s clue: a category matched already", (nature) => {
    const refused = classificationRefusal({ state: "open", nature, classification: "none" });
    expect(refused?.reason).toBe("not-unclassified");
    expect(refused?.message).toContain(nature);
  });

  it("refuses a second classification while the clue is being routed by the first", () => {
    const refused = classificationRefusal({ state: "open", nature: "unclassified", classification: "pending" });
    expect(refused?.reason).toBe("classification-pending");
    expect(refused?.message).toContain("classified already");
  });

  it("refuses a clue its classification gave a nature, and allows one the router left unclassified", () => {
    expect(classificationRefusal({ state: "open", nature: "discipline", classification: "applied" })?.reason).toBe(
      "not-unclassified",
    );
    expect(classificationRefusal({ state: "open", nature: "unclassified", classification: "applied" })).toBeNull();
  });
});
