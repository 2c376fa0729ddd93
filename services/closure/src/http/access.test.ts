import type { HttpProblem } from "@clueline/kit";
import { describe, expect, it } from "vitest";
import { actingUnit, visibilityOf } from "./access.js";

const caller = (...scopes: string[]) => ({ subject: "s", scopes: new Set(scopes) });

describe("access", () => {
  it("lets the commission see everything and a unit its own clues", () => {
    expect(visibilityOf(caller("commission", "unit:dc"))).toEqual({ all: true });
    expect(visibilityOf(caller("unit:town-a", "pii:read"))).toEqual({ all: false, units: ["town-a"] });
  });

  it("acts for the one unit a caller holds, or the one it names among its own", () => {
    expect(actingUnit(caller("unit:town-a"), undefined)).toBe("town-a");
    expect(actingUnit(caller("unit:town-a", "unit:team-1"), "team-1")).toBe("team-1");
    const status = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as HttpProblem).status;
      }
    };
    expect(status(() => actingUnit(caller("unit:town-a"), "town-b"))).toBe(403);
    expect(status(() => actingUnit(caller("commission"), undefined))).toBe(403);
    expect(status(() => actingUnit(caller("unit:town-a", "unit:team-1"), undefined))).toBe(400);
  });
});
