//! JSON bodies of the office calendar (SPEC P4–P6): public status, holidays and SLA preview;
//! the admin calendar settings and holiday overrides.
use serde::{Deserialize, Serialize};

use crate::calendar::{CalendarSettings, ClockMode};
use crate::holidays::HolidayKind;
use crate::sla::Priority;

/// One non-working date of `GET /api/calendar/holidays`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayView {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Name in es-MX.
    pub name: String,
    #[serde(default)]
    pub name_en: String,
    pub kind: HolidayKind,
}

/// `GET /api/calendar/holidays?year=`: statutory + admin-added holidays, minus admin-removed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayYear {
    pub year: i32,
    pub holidays: Vec<HolidayView>,
}

/// `GET /api/calendar/status`. Times are RFC 3339 in the office offset.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarStatus {
    pub now: String,
    /// Whether support is open now.
    pub open: bool,
    pub next_opening: String,
    pub next_closing: String,
    /// Office hours, `HH:MM` local.
    pub opens: String,
    pub closes: String,
    pub offset_minutes: i32,
    pub clock: ClockMode,
    pub today_is_working_day: bool,
}

/// `GET /api/sla/preview?priority=&from=`: due time of a response target opened at `from`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlaPreview {
    pub priority: Priority,
    pub target_hours: i64,
    /// RFC 3339 in the office offset.
    pub from: String,
    pub due: String,
    pub clock: ClockMode,
}

/// A holiday override: `add` a closure day (with its name) or `remove` a statutory holiday.
/// Body and answer of `POST /api/admin/holidays`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayOverride {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `add` | `remove`.
    pub action: String,
    /// Required for `add`, ≤ 120 characters.
    #[serde(default)]
    pub name: String,
}

/// `GET`/`PUT /api/admin/calendar`: the office settings (without the overrides, which are
/// listed apart; `settings.added`/`removed` are always empty here) and the overrides.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminCalendar {
    pub settings: CalendarSettings,
    pub overrides: Vec<HolidayOverride>,
}
