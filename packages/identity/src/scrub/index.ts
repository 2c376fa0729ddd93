export { CONTACT_MARKER, createScrubber, REPORTER_MARKER } from "./scrubber.js";
