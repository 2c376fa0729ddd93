import { fileURLToPath } from "node:url";

/**
 * The shipped directory: a realistic district of 40 towns and subdistricts (DESIGN §5), what the router and the
 * edges read when `DIRECTORY_FILE` is unset. `default.yaml` sits beside both `src/` and `dist/`, so the path holds
 * whether this runs from source or from the build.
 *
 * @example
 * const directory = await loadDirectory(config.DIRECTORY_FILE ?? defaultDirectoryPath);
 */
export const defaultDirectoryPath = fileURLToPath(new URL("../default.yaml", import.meta.url));
