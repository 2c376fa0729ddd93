// The working-day calendar for deadlines (DESIGN.md §7): statutory days from chinese-days, local changes on top.
export { CalendarDate, type DayInput, shanghaiDateOf, toCalendarDate } from "./calendar-date.js";
export type { CalendarSource } from "./calendar-source.js";
export { ChineseDaysData, loadChineseDaysSource } from "./chinese-days-source.js";
export { CalendarFileInvalid, type CalendarFileIssue, CalendarYearMissing, InvalidCalendarDate } from "./errors.js";
export { LocalCalendar, parseLocalCalendar } from "./local-calendar.js";
export { createWorkingCalendar, type WorkingCalendar, type WorkingCalendarOptions } from "./working-calendar.js";
