//! Business calendar: office zone, office hours, working days and the SLA clock
//! (SPEC P4, P5, P6, P18).
//!
//! # Conventions
//!
//! * All instants are `DateTime<Utc>`; dates ("working day", "holiday") are
//!   office-local dates in the fixed offset of the settings (default −06:00).
//! * **Working windows.** Each working day (Mon–Fri, not a holiday) contributes one
//!   half-open window of counted time: `[00:00, 24:00)` in
//!   [`ClockMode::WorkingDays`] (the default, P6), or `[open, close)` in
//!   [`ClockMode::OfficeHours`]. Saturdays, Sundays and holidays contribute
//!   nothing, from 00:00 to 24:00.
//! * **Earliest instant.** [`BusinessCalendar::add_working_minutes`] returns the
//!   *earliest* instant at which the requested working time has elapsed. So a
//!   deadline that is reached exactly at the end of a window is that end — e.g.
//!   24:00 of Monday is reported as Tuesday 00:00, never pushed across the
//!   following weekend; in office-hours mode it is 18:00, not the next 09:00.
//!   Consequently a due time never lies strictly inside a non-working day (it may
//!   be exactly 00:00 of one, which is the end of the previous working day).
//! * Adding zero (or a negative amount) returns `from` unchanged, even when
//!   `from` is in a non-working period. Any positive amount starting in a
//!   non-working period starts counting at the next window.
//! * **Precision.** Working time is counted in whole seconds; sub-second parts of
//!   inputs are truncated. [`BusinessCalendar::working_minutes_between`] floors to
//!   whole minutes.
//! * [`BusinessCalendar::reopen_deadline`] (P18) counts *dates*, not windows, in
//!   both clock modes; the deadline is exclusive (a reopen at exactly the
//!   deadline is late).
//! * [`BusinessCalendar::is_open`] / [`BusinessCalendar::next_opening`] always
//!   use the office hours `[open, close)`, whatever the clock mode.
//!
//! Cost: every operation walks whole days (one weekday check plus an O(1)
//! statutory-holiday test and two B-tree look-ups per day), never minutes.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::holidays::{self, Holiday, HolidayKind};
use crate::validation::FieldError;

const DAY: i64 = 86_400;
/// `NaiveDate::num_days_from_ce()` of 1970-01-01.
const UNIX_EPOCH_CE_DAYS: i64 = 719_163;

/// How the SLA clock runs (P6).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockMode {
    /// 24 h per working day; stops 00:00–24:00 on weekends and holidays.
    #[default]
    WorkingDays,
    /// Only office hours (`open..close`) of working days count.
    OfficeHours,
}

impl ClockMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ClockMode::WorkingDays => "working_days",
            ClockMode::OfficeHours => "office_hours",
        }
    }
}

impl core::str::FromStr for ClockMode {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "working_days" => Ok(ClockMode::WorkingDays),
            "office_hours" => Ok(ClockMode::OfficeHours),
            _ => Err(()),
        }
    }
}

/// Admin-editable calendar settings (stored by the worker, passed in by callers).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CalendarSettings {
    /// Office UTC offset in minutes (−360 = America/Mexico_City since 2022).
    pub offset_minutes: i32,
    /// Opening time, minutes after local midnight (540 = 09:00).
    pub open_minute: u32,
    /// Closing time, minutes after local midnight (1080 = 18:00).
    pub close_minute: u32,
    pub clock: ClockMode,
    /// Extra non-working dates with their (free-text) name.
    #[cfg_attr(feature = "openapi", schema(value_type = std::collections::BTreeMap<String, String>))]
    pub added: BTreeMap<NaiveDate, String>,
    /// Statutory dates that the office works anyway.
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub removed: BTreeSet<NaiveDate>,
}

impl Default for CalendarSettings {
    fn default() -> Self {
        CalendarSettings {
            offset_minutes: -360,
            open_minute: 540,
            close_minute: 1080,
            clock: ClockMode::WorkingDays,
            added: BTreeMap::new(),
            removed: BTreeSet::new(),
        }
    }
}

impl CalendarSettings {
    /// Check admin input: offset within −12:00..=+14:00, `open < close <= 24:00`.
    pub fn validate(&self) -> Result<(), FieldError> {
        if !(-720..=840).contains(&self.offset_minutes) {
            return Err(FieldError::new(
                "offset_minutes",
                "invalid_offset",
                "La diferencia horaria debe estar entre −12:00 y +14:00.",
                "The UTC offset must be between −12:00 and +14:00.",
            ));
        }
        if self.close_minute > 1440 {
            return Err(FieldError::new(
                "close_minute",
                "invalid_hours",
                "La hora de cierre no puede pasar de las 24:00.",
                "The closing time cannot be later than 24:00.",
            ));
        }
        if self.open_minute >= self.close_minute {
            return Err(FieldError::new(
                "open_minute",
                "invalid_hours",
                "La hora de apertura debe ser anterior a la de cierre.",
                "The opening time must be earlier than the closing time.",
            ));
        }
        Ok(())
    }
}

/// A partial update of the office settings (`PUT /api/admin/calendar`): absent fields keep
/// their stored value, so `{}` changes nothing. Holiday overrides have their own endpoints.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarSettingsPatch {
    #[cfg_attr(feature = "openapi", schema(minimum = -720, maximum = 840))]
    pub offset_minutes: Option<i32>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 1439))]
    pub open_minute: Option<u32>,
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 1440))]
    pub close_minute: Option<u32>,
    pub clock: Option<ClockMode>,
    /// Accepted for compatibility with the `GET` shape and ignored: overrides are edited
    /// through `/api/admin/holidays`.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<std::collections::BTreeMap<String, String>>))]
    pub added: Option<serde_json::Value>,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<Vec<String>>))]
    pub removed: Option<serde_json::Value>,
}

impl CalendarSettings {
    /// The settings after `patch`, validated as a whole (opening before closing…).
    pub fn patched(&self, patch: &CalendarSettingsPatch) -> Result<CalendarSettings, FieldError> {
        let next = CalendarSettings {
            offset_minutes: patch.offset_minutes.unwrap_or(self.offset_minutes),
            open_minute: patch.open_minute.unwrap_or(self.open_minute),
            close_minute: patch.close_minute.unwrap_or(self.close_minute),
            clock: patch.clock.unwrap_or(self.clock),
            added: self.added.clone(),
            removed: self.removed.clone(),
        };
        next.validate()?;
        Ok(next)
    }
}

/// The office calendar. Cheap to build; immutable.
#[derive(Debug, Clone)]
pub struct BusinessCalendar {
    settings: CalendarSettings,
    offset: FixedOffset,
    offset_secs: i64,
    open_secs: i64,
    close_secs: i64,
    /// Counted window of a working day, seconds after local midnight.
    win_start: i64,
    win_end: i64,
}

impl Default for BusinessCalendar {
    fn default() -> Self {
        BusinessCalendar::new(CalendarSettings::default())
    }
}

impl BusinessCalendar {
    /// Build a calendar. Invalid parts of the settings (see
    /// [`CalendarSettings::validate`]) fall back to their defaults, so this never fails.
    pub fn new(mut settings: CalendarSettings) -> Self {
        let d = CalendarSettings::default();
        if !(-720..=840).contains(&settings.offset_minutes) {
            settings.offset_minutes = d.offset_minutes;
        }
        if settings.close_minute > 1440 || settings.open_minute >= settings.close_minute {
            settings.open_minute = d.open_minute;
            settings.close_minute = d.close_minute;
        }
        let offset_secs = i64::from(settings.offset_minutes) * 60;
        let offset = FixedOffset::east_opt(settings.offset_minutes * 60).expect("validated offset");
        let open_secs = i64::from(settings.open_minute) * 60;
        let close_secs = i64::from(settings.close_minute) * 60;
        let (win_start, win_end) = match settings.clock {
            ClockMode::WorkingDays => (0, DAY),
            ClockMode::OfficeHours => (open_secs, close_secs),
        };
        BusinessCalendar {
            settings,
            offset,
            offset_secs,
            open_secs,
            close_secs,
            win_start,
            win_end,
        }
    }

    pub fn settings(&self) -> &CalendarSettings {
        &self.settings
    }

    pub fn clock(&self) -> ClockMode {
        self.settings.clock
    }

    pub fn offset(&self) -> FixedOffset {
        self.offset
    }

    pub fn to_local(&self, at: DateTime<Utc>) -> DateTime<FixedOffset> {
        at.with_timezone(&self.offset)
    }

    /// Office-local date of an instant.
    pub fn local_date(&self, at: DateTime<Utc>) -> NaiveDate {
        self.to_local(at).date_naive()
    }

    /// The instant of office-local midnight starting `date`.
    pub fn start_of_day(&self, date: NaiveDate) -> DateTime<Utc> {
        self.instant_of_local_secs(day_of_date(date) * DAY)
    }

    // ----- holidays ---------------------------------------------------------

    /// Holidays of `year`: statutory by rule, plus admin-added, minus admin-removed;
    /// sorted by date. An added date that is already statutory keeps the statutory entry.
    pub fn holidays(&self, year: i32) -> Vec<Holiday> {
        let mut out: Vec<Holiday> = holidays::statutory(year)
            .into_iter()
            .filter(|h| !self.settings.removed.contains(&h.date))
            .collect();
        if let (Some(from), Some(to)) = (
            NaiveDate::from_ymd_opt(year, 1, 1),
            NaiveDate::from_ymd_opt(year, 12, 31),
        ) {
            for (date, name) in self.settings.added.range(from..=to) {
                if self.settings.removed.contains(date) || holidays::is_statutory(*date) {
                    continue;
                }
                out.push(Holiday {
                    date: *date,
                    name_es: name.clone(),
                    name_en: name.clone(),
                    kind: HolidayKind::Added,
                });
            }
        }
        out.sort_by_key(|h| h.date);
        out
    }

    /// The holiday on `date`, if any (same precedence as [`Self::is_holiday`]).
    pub fn holiday(&self, date: NaiveDate) -> Option<Holiday> {
        if !self.is_holiday(date) {
            return None;
        }
        if let Some((es, en)) = holidays::statutory_name(date) {
            return Some(Holiday {
                date,
                name_es: es.into(),
                name_en: en.into(),
                kind: HolidayKind::Statutory,
            });
        }
        let name = self.settings.added.get(&date)?;
        Some(Holiday {
            date,
            name_es: name.clone(),
            name_en: name.clone(),
            kind: HolidayKind::Added,
        })
    }

    /// Removed dates win over added ones, added ones over the statutory rule.
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        if self.settings.removed.contains(&date) {
            return false;
        }
        self.settings.added.contains_key(&date) || holidays::is_statutory(date)
    }

    /// Monday–Friday and not a holiday (office-local date).
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        date.weekday().num_days_from_monday() < 5 && !self.is_holiday(date)
    }

    // ----- internal day-index arithmetic -----------------------------------

    #[inline]
    fn local_secs(&self, at: DateTime<Utc>) -> i64 {
        at.timestamp() + self.offset_secs
    }

    #[inline]
    fn instant_of_local_secs(&self, local: i64) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp(local - self.offset_secs, 0)
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    /// Working day by day index (days since 1970-01-01, office-local).
    /// `None` when outside chrono's date range.
    #[inline]
    fn working_idx(&self, day: i64) -> Option<bool> {
        // 1970-01-01 was a Thursday: (day + 3) mod 7 == 0 is Monday.
        if (day + 3).rem_euclid(7) >= 5 {
            return Some(false);
        }
        let date = date_of_day(day)?;
        Some(!self.is_holiday(date))
    }

    /// Earliest local second at which `secs` (> 0) working seconds have elapsed since `start`.
    fn add_secs_local(&self, start: i64, secs: i64) -> Option<i64> {
        let mut rem = secs;
        let mut day = start.div_euclid(DAY);
        let mut t = start;
        loop {
            let ds = day * DAY;
            if self.working_idx(day)? {
                let from = t.max(ds + self.win_start);
                let end = ds + self.win_end;
                if from < end {
                    let avail = end - from;
                    if rem <= avail {
                        return Some(from + rem);
                    }
                    rem -= avail;
                }
            }
            day += 1;
            t = day * DAY;
        }
    }

    /// Working seconds in `[a, b)` (local seconds).
    fn between_secs_local(&self, a: i64, b: i64) -> i64 {
        if b <= a {
            return 0;
        }
        let mut total = 0;
        let last = (b - 1).div_euclid(DAY);
        let mut day = a.div_euclid(DAY);
        while day <= last {
            let ds = day * DAY;
            if self.working_idx(day).unwrap_or(false) {
                let from = a.max(ds + self.win_start);
                let to = b.min(ds + self.win_end);
                if to > from {
                    total += to - from;
                }
            }
            day += 1;
        }
        total
    }

    // ----- SLA clock ---------------------------------------------------------

    /// Earliest instant at which `minutes` working minutes have elapsed since `from`.
    /// `minutes <= 0` returns `from`.
    pub fn add_working_minutes(&self, from: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
        self.add_working_seconds(from, minutes.saturating_mul(60))
    }

    /// Same as [`Self::add_working_minutes`] with `hours * 60`.
    pub fn add_working_hours(&self, from: DateTime<Utc>, hours: i64) -> DateTime<Utc> {
        self.add_working_minutes(from, hours.saturating_mul(60))
    }

    /// Earliest instant at which `seconds` working seconds have elapsed since `from`.
    pub fn add_working_seconds(&self, from: DateTime<Utc>, seconds: i64) -> DateTime<Utc> {
        if seconds <= 0 {
            return from;
        }
        match self.add_secs_local(self.local_secs(from), seconds) {
            Some(l) => self.instant_of_local_secs(l),
            None => DateTime::<Utc>::MAX_UTC,
        }
    }

    /// Working minutes elapsed in `[a, b)`, floored; 0 if `b <= a`.
    pub fn working_minutes_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        self.working_seconds_between(a, b).div_euclid(60)
    }

    /// Working seconds elapsed in `[a, b)`; 0 if `b <= a`.
    pub fn working_seconds_between(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> i64 {
        self.between_secs_local(self.local_secs(a), self.local_secs(b))
    }

    /// Is `at` inside counted SLA time (a working window)?
    pub fn is_counting(&self, at: DateTime<Utc>) -> bool {
        let l = self.local_secs(at);
        let day = l.div_euclid(DAY);
        let tod = l - day * DAY;
        self.working_idx(day).unwrap_or(false) && tod >= self.win_start && tod < self.win_end
    }

    // ----- warranty window (P18) -------------------------------------------

    /// 24:00 office time of the `n_days`-th working day strictly after the
    /// office-local date of `resolved_at` (exclusive deadline). `n_days == 0`
    /// gives the end of the resolution date itself.
    ///
    /// Example: resolved Wed 2026-12-23 with 5 days → 2027-01-01T00:00-06:00.
    pub fn reopen_deadline(&self, resolved_at: DateTime<Utc>, n_days: u32) -> DateTime<Utc> {
        let mut day = self.local_secs(resolved_at).div_euclid(DAY);
        let mut left = n_days;
        while left > 0 {
            day += 1;
            match self.working_idx(day) {
                Some(true) => left -= 1,
                Some(false) => {}
                None => return DateTime::<Utc>::MAX_UTC,
            }
        }
        self.instant_of_local_secs((day + 1) * DAY)
    }

    // ----- office hours (P4) ---------------------------------------------

    /// Is the office open at `at`: a working day and local time in `[open, close)`.
    pub fn is_open(&self, at: DateTime<Utc>) -> bool {
        let l = self.local_secs(at);
        let day = l.div_euclid(DAY);
        let tod = l - day * DAY;
        tod >= self.open_secs && tod < self.close_secs && self.working_idx(day).unwrap_or(false)
    }

    /// `at` itself if the office is open, otherwise the next opening instant.
    pub fn next_opening(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        if self.is_open(at) {
            return at;
        }
        let l = self.local_secs(at);
        let mut day = l.div_euclid(DAY);
        if l - day * DAY >= self.open_secs {
            day += 1;
        }
        loop {
            match self.working_idx(day) {
                Some(true) => return self.instant_of_local_secs(day * DAY + self.open_secs),
                Some(false) => day += 1,
                None => return DateTime::<Utc>::MAX_UTC,
            }
        }
    }

    /// When the office closes next (the current closing time if open now,
    /// otherwise the close of the next opening day).
    pub fn next_closing(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        let open = self.next_opening(at);
        let l = self.local_secs(open);
        let day = l.div_euclid(DAY);
        self.instant_of_local_secs(day * DAY + self.close_secs)
    }

    /// Convenience: an office-local wall-clock time as an instant.
    pub fn local(&self, date: NaiveDate, hour: u32, minute: u32) -> Option<DateTime<Utc>> {
        let naive = date.and_hms_opt(hour, minute, 0)?;
        self.offset
            .from_local_datetime(&naive)
            .single()
            .map(|d| d.with_timezone(&Utc))
    }
}

#[inline]
fn date_of_day(day: i64) -> Option<NaiveDate> {
    let ce = i32::try_from(day.checked_add(UNIX_EPOCH_CE_DAYS)?).ok()?;
    NaiveDate::from_num_days_from_ce_opt(ce)
}

#[inline]
fn day_of_date(date: NaiveDate) -> i64 {
    i64::from(date.num_days_from_ce()) - UNIX_EPOCH_CE_DAYS
}

#[cfg(test)]
mod tests;
