import { describe, expect, it } from "vitest";
import { defaultDirectoryPath } from "./default-directory-path.js";
import { loadDirectory } from "./parse-directory.js";

describe("defaultDirectoryPath", () => {
  it("names the shipped directory, which loads whole", async () => {
    expect(defaultDirectoryPath).toMatch(/packages\/directory\/default\.yaml$/);
    const directory = await loadDirectory(defaultDirectoryPath);
    expect(directory.towns).toHaveLength(40);
    expect(directory.categories.map((c) => c.code)).toContain("bribe-demand");
  });
});
